#include "tools/commands/bench_consume_command.h"

#include <memory>

#include <spdlog/spdlog.h>

#include "tools/bench/client_benchmark.h"

namespace holdfast::tools::commands {

ProgramCommand AddBenchConsumeCommand(CLI::App* bench) {
  auto options = std::make_shared<ConsumeBenchmarkOptions>();
  CLI::App* app = bench->add_subcommand(
      "consume", "Consume in a group; TPS and end-to-end latency each second, then percentiles");
  app->add_option("-n,--namesrv", options->namesrv_addr)->capture_default_str();
  app->add_option("-t,--topic", options->topic)->capture_default_str();
  app->add_option("-g,--group", options->group)->capture_default_str();
  app->add_option("-d,--seconds", options->seconds)
      ->capture_default_str()
      ->check(CLI::Range(0.1, 86400.0));
  app->add_flag("--from-first", options->from_first,
                "A new group starts at the first message instead of the last");
  return {app, [options](const ProgramContext& context) {
            spdlog::set_level(spdlog::level::warn);
            ClientBenchmarkResult r = RunConsumeBenchmark(*options, context.out);
            PrintClientBenchmarkSummary("consume", r, context.out);
            return r.error.empty() ? 0 : 1;
          }};
}

}  // namespace holdfast::tools::commands
