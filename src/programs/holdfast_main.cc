// holdfast: the one program. Subcommands parse their options and hand over to the library.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "tools/store_benchmark_cli.h"
#include "tools/store_check.h"

namespace {

std::string CommandLine(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) line += ' ';
    line += argv[i];
  }
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Holdfast: a RocketMQ-compatible message broker that never loses an acknowledged message"};
  app.require_subcommand(1);

  holdfast::tools::StoreCheckOptions check;
  std::string flush = "sync";
  auto* store_check = app.add_subcommand(
      "store-check",
      "Append, read back, reopen and verify messages in a store on a data directory");
  store_check->add_option("--dir", check.dir, "Store root directory (storePathRootDir)")
      ->capture_default_str();
  store_check->add_option("-n,--messages", check.messages, "Messages to append")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000000));
  store_check->add_option("--size", check.body_size, "Body size in bytes")
      ->capture_default_str()
      ->check(CLI::Range(1, 4 * 1024 * 1024));
  store_check
      ->add_option("--flush", flush, "flushDiskType: sync (SYNC_FLUSH) or async (ASYNC_FLUSH)")
      ->capture_default_str()
      ->check(CLI::IsMember({"sync", "async"}));

  auto* bench = app.add_subcommand("bench", "Benchmarks, each beside the physical limit it meets");
  bench->require_subcommand(1);
  auto* bench_store = bench->add_subcommand(
      "store",
      "The store's append throughput and latency under SYNC_FLUSH and ASYNC_FLUSH, and its "
      "crash-recovery time, against this disk's measured limits");
  holdfast::tools::StoreBenchmarkCli bench_store_cli(bench_store);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  if (store_check->parsed()) {
    check.sync_flush = flush == "sync";
    return holdfast::tools::RunStoreCheck(check, std::cout);
  }
  if (bench_store->parsed()) {
    // The report goes to stdout; the store's own log to stderr, warnings and above.
    auto logger = spdlog::stderr_color_mt("holdfast");
    logger->set_level(spdlog::level::warn);
    spdlog::set_default_logger(logger);
    return holdfast::tools::RunStoreBenchmark(bench_store_cli.Options(CommandLine(argc, argv)),
                                              std::cout);
  }
  return 0;
}
