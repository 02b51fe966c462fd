#include "tools/bench/store/store_benchmark_cli.h"

namespace holdfast::tools {

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

Result<std::vector<int>> ParseBlockingThreads(const std::string& text) {
  if (text == "none") return std::vector<int>{};
  return ParseThreadList(text);
}

}  // namespace

StoreBenchmarkCli::StoreBenchmarkCli(CLI::App* app) : dir_(options_.dir.string()) {
  app->add_option("--dir", dir_, "directory on the disk under test (not tmpfs)")
      ->capture_default_str();
  app->add_option("--seconds", options_.seconds, "measured seconds per store case and per limit")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 86400.0));
  app->add_option("--warmup", options_.warmup_seconds, "unmeasured seconds before each store case")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  app->add_option("--threads", threads_,
                  "appends in flight per case, comma-separated: 1 is one thread calling the "
                  "blocking PutMessage, N > 1 keeps N PutMessageAsync calls outstanding")
      ->capture_default_str()
      ->check(ListValidator(ParseThreadList, "LIST"));
  app->add_option("--submitters", options_.submitters,
                  "threads submitting the in-flight appends (0: min(N, hardware threads))")
      ->capture_default_str()
      ->check(CLI::Range(0, 256));
  app->add_option("--blocking-threads", blocking_threads_,
                  "extra, informational cases of N threads each blocking in PutMessage, "
                  "comma-separated, or 'none'")
      ->capture_default_str()
      ->check(ListValidator(ParseBlockingThreads, "LIST"));
  app->add_option("--modes", modes_, "flush modes: sync, async, comma-separated")
      ->capture_default_str()
      ->check(ListValidator(ParseFlushModeList, "LIST"));
  app->add_option(
         "--recovery-sizes", recovery_sizes_,
         "commit-log sizes in GiB for the crash-recovery test, comma-separated (e.g. 0.25)")
      ->capture_default_str()
      ->check(ListValidator(ParseGibList, "LIST"));
  app->add_option("--body-size", options_.body_size, "message body bytes")->capture_default_str();
  app->add_flag("--no-index", no_index_, "run the store with messageIndexEnable=false");
  app->add_flag("--skip-limits", options_.skip_limits, "do not measure the disk and CPU limits");
  app->add_flag("--skip-recovery", options_.skip_recovery, "do not run the crash-recovery test");
}

StoreBenchmarkOptions StoreBenchmarkCli::Options(const std::string& command_line) const {
  // The validators accepted these strings, so the parses succeed.
  StoreBenchmarkOptions o = options_;
  o.dir = dir_;
  o.threads = ParseThreadList(threads_).value();
  o.blocking_threads = ParseBlockingThreads(blocking_threads_).value();
  o.modes = ParseFlushModeList(modes_).value();
  o.recovery_sizes_gib = ParseGibList(recovery_sizes_).value();
  o.index = !no_index_;
  o.command_line = command_line;
  return o;
}

}  // namespace holdfast::tools
