#include "tools/commands/bench_produce_command.h"

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "tools/bench/client_benchmark.h"

namespace holdfast::tools::commands {

namespace {

struct BenchProduceFlags {
  ProduceBenchmarkOptions options;
  std::string mode = "sync";
};

SendMode ModeNamed(const std::string& mode) {
  return mode == "async"    ? SendMode::kAsync
         : mode == "oneway" ? SendMode::kOneway
                            : SendMode::kSync;
}

}  // namespace

ProgramCommand AddBenchProduceCommand(CLI::App* bench) {
  auto f = std::make_shared<BenchProduceFlags>();
  CLI::App* app = bench->add_subcommand(
      "produce", "Send messages from many threads; TPS and latency each second, then percentiles");
  app->add_option("-n,--namesrv", f->options.namesrv_addr)->capture_default_str();
  app->add_option("-t,--topic", f->options.topic)->capture_default_str();
  app->add_option("-w,--threads", f->options.threads)
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app->add_option("-s,--size", f->options.size, "Body bytes")
      ->capture_default_str()
      ->check(CLI::Range(1, 4 * 1024 * 1024));
  app->add_option("-m,--mode", f->mode, "sync, async or oneway")
      ->capture_default_str()
      ->check(CLI::IsMember({"sync", "async", "oneway"}));
  app->add_option("--async-window", f->options.async_window, "Outstanding async sends per thread")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  app->add_option("-d,--seconds", f->options.seconds)
      ->capture_default_str()
      ->check(CLI::Range(0.1, 86400.0));
  return {app, [f](const ProgramContext& context) {
            spdlog::set_level(spdlog::level::warn);
            ProduceBenchmarkOptions options = f->options;
            options.mode = ModeNamed(f->mode);
            ClientBenchmarkResult r = RunProduceBenchmark(options, context.out);
            PrintClientBenchmarkSummary("send", r, context.out);
            return r.error.empty() ? 0 : 1;
          }};
}

}  // namespace holdfast::tools::commands
