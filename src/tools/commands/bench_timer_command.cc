#include "tools/commands/bench_timer_command.h"

#include <spdlog/spdlog.h>

#include <memory>

#include "tools/bench/timer/timer_benchmark.h"

namespace holdfast::tools::commands {

ProgramCommand AddBenchTimerCommand(CLI::App* bench) {
  auto options = std::make_shared<TimerBenchmarkOptions>();
  CLI::App* app = bench->add_subcommand(
      "timer",
      "Timer messages: enqueue rate, delivery lateness and memory with 10k..1M waiting, beside "
      "the disk's group-commit rate");
  app->add_option("--dir", options->dir, "Data directory on the disk under test")
      ->capture_default_str();
  app->add_option("--waiting", options->waiting, "Counts of messages waiting to measure")
      ->capture_default_str()
      ->delimiter(',')
      ->check(CLI::Range(int64_t{0}, int64_t{100'000'000}));
  app->add_option("--probes", options->probes, "Messages whose lateness is measured")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1'000'000}));
  app->add_option("--body-size", options->body_size, "Body bytes")
      ->capture_default_str()
      ->check(CLI::Range(1, 4 * 1024 * 1024));
  return {app, [options](const ProgramContext& context) {
            spdlog::set_level(spdlog::level::warn);
            TimerBenchmarkOptions o = *options;
            o.command_line = context.command_line;
            return RunTimerBenchmark(o, context.out);
          }};
}

}  // namespace holdfast::tools::commands
