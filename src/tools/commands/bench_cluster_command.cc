#include "tools/commands/bench_cluster_command.h"

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "tools/bench/cluster/cluster_benchmark.h"

namespace holdfast::tools::commands {

namespace {

struct BenchClusterFlags {
  ClusterBenchmarkOptions options;
  std::string dir = "./bench-data";
};

}  // namespace

ProgramCommand AddBenchClusterCommand(CLI::App* bench) {
  auto f = std::make_shared<BenchClusterFlags>();
  CLI::App* app = bench->add_subcommand("cluster",
                                        "A real broker per flush mode against loopback, "
                                        "store-only and Redis figures of the same run");
  app->add_option("--dir", f->dir, "Data directory on the disk under test")->capture_default_str();
  app->add_option("-d,--seconds", f->options.seconds, "Measured seconds per case")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 3600.0));
  app->add_flag("--skip-redis", f->options.skip_redis,
                "Leave out the Redis peer (e.g. when redis-server is not installed)");
  app->add_flag("--skip-store", f->options.skip_store, "Leave out the store-only figure");
  return {app, [f](const ProgramContext& context) {
            spdlog::set_level(spdlog::level::warn);
            ClusterBenchmarkOptions options = f->options;
            options.dir = f->dir;
            options.command_line = context.command_line;
            return RunClusterBenchmark(options, context.out);
          }};
}

}  // namespace holdfast::tools::commands
