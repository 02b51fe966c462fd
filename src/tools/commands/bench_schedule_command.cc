#include "tools/commands/bench_schedule_command.h"

#include <spdlog/spdlog.h>

#include <memory>

#include "tools/bench/schedule/schedule_benchmark.h"

namespace holdfast::tools::commands {

ProgramCommand AddBenchScheduleCommand(CLI::App* bench) {
  auto options = std::make_shared<ScheduleBenchmarkOptions>();
  CLI::App* app = bench->add_subcommand(
      "schedule",
      "Lateness of delayed messages that fall due together, beside the disk's fdatasync rate");
  app->add_option("--dir", options->dir, "Data directory on the disk under test")
      ->capture_default_str();
  app->add_option("-n,--messages", options->messages, "Delayed messages")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{10'000'000}));
  app->add_option("--body-size", options->body_size, "Body bytes")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{4 * 1024 * 1024}));
  app->add_option("--delay", options->delay,
                  "The delay level's duration (messageDelayLevel syntax); longer than the puts")
      ->capture_default_str();
  return {app, [options](const ProgramContext& context) {
            spdlog::set_level(spdlog::level::warn);
            ScheduleBenchmarkOptions o = *options;
            o.command_line = context.command_line;
            return RunScheduleBenchmark(o, context.out);
          }};
}

}  // namespace holdfast::tools::commands
