// holdfast_store_benchmark: the store benchmark (store_benchmark.h) as a program of its own.
// Prints the report to stdout; the store's log goes to stderr, warnings and above only. Exit code
// as RunStoreBenchmark's (2 also for options CLI11 rejects).
#include <iostream>
#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "tools/store_benchmark.h"

namespace {

// A CLI11 check that runs one of the list parsers, so a bad list is reported like any bad option.
template <typename Parse>
CLI::Validator ListValidator(Parse parse, std::string description) {
  return CLI::Validator(
      [parse](std::string& text) -> std::string {
        auto parsed = parse(text);
        return parsed.ok() ? std::string() : parsed.status().message();
      },
      std::move(description));
}

}  // namespace

int main(int argc, char** argv) {
  holdfast::tools::StoreBenchmarkOptions options;
  std::string dir = options.dir.string();
  std::string threads = "1,8,64";
  std::string blocking_threads = "64";
  std::string modes = "sync,async";
  std::string recovery_sizes = "1,4";
  bool no_index = false;

  CLI::App app{
      "Measures the disk's limits, the message store's append throughput and latency under "
      "SYNC_FLUSH and ASYNC_FLUSH, and its crash-recovery time, in one run on one disk."};
  app.add_option("--dir", dir, "directory on the disk under test (not tmpfs)")
      ->capture_default_str();
  app.add_option("--seconds", options.seconds, "measured seconds per store case and per limit")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 86400.0));
  app.add_option("--warmup", options.warmup_seconds, "unmeasured seconds before each store case")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--threads", threads,
                 "appends in flight per case, comma-separated: 1 is one thread calling the "
                 "blocking PutMessage, N > 1 keeps N PutMessageAsync calls outstanding")
      ->capture_default_str()
      ->check(ListValidator(holdfast::tools::ParseThreadList, "LIST"));
  app.add_option("--submitters", options.submitters,
                 "threads submitting the in-flight appends (0: min(N, hardware threads))")
      ->capture_default_str()
      ->check(CLI::Range(0, 256));
  app.add_option("--blocking-threads", blocking_threads,
                 "extra, informational cases of N threads each blocking in PutMessage, "
                 "comma-separated, or 'none'")
      ->capture_default_str()
      ->check(ListValidator(
          [](const std::string& text) {
            return text == "none" ? holdfast::Result<std::vector<int>>(std::vector<int>{})
                                  : holdfast::tools::ParseThreadList(text);
          },
          "LIST"));
  app.add_option("--modes", modes, "flush modes: sync, async, comma-separated")
      ->capture_default_str()
      ->check(ListValidator(holdfast::tools::ParseFlushModeList, "LIST"));
  app.add_option("--recovery-sizes", recovery_sizes,
                 "commit-log sizes in GiB for the crash-recovery test, comma-separated (e.g. 0.25)")
      ->capture_default_str()
      ->check(ListValidator(holdfast::tools::ParseGibList, "LIST"));
  app.add_option("--body-size", options.body_size, "message body bytes")->capture_default_str();
  app.add_flag("--no-index", no_index, "run the store with messageIndexEnable=false");
  app.add_flag("--skip-limits", options.skip_limits, "do not measure the disk and CPU limits");
  app.add_flag("--skip-recovery", options.skip_recovery, "do not run the crash-recovery test");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help prints and succeeds; every other parse error is "invalid options", as in
    // RunStoreBenchmark.
    return app.exit(e) == 0 ? 0 : 2;
  }

  // The validators above accepted these, so the parses succeed.
  options.dir = dir;
  options.threads = holdfast::tools::ParseThreadList(threads).value();
  if (blocking_threads == "none") {
    options.blocking_threads.clear();
  } else {
    options.blocking_threads = holdfast::tools::ParseThreadList(blocking_threads).value();
  }
  options.modes = holdfast::tools::ParseFlushModeList(modes).value();
  options.recovery_sizes_gib = holdfast::tools::ParseGibList(recovery_sizes).value();
  options.index = !no_index;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) options.command_line += ' ';
    options.command_line += argv[i];
  }

  auto logger = spdlog::stderr_color_mt("holdfast");
  logger->set_level(spdlog::level::warn);
  spdlog::set_default_logger(logger);

  return holdfast::tools::RunStoreBenchmark(options, std::cout);
}
