#include "tools/commands/bench_store_command.h"

#include <memory>
#include <string>
#include <utility>

#include <spdlog/spdlog.h>

#include "tools/bench/store/store_benchmark.h"

namespace holdfast::tools::commands {

namespace {

// The flags; the lists stay text until the run, where the parsers their validators ran succeed.
struct BenchStoreFlags {
  StoreBenchmarkOptions options;
  std::string dir = StoreBenchmarkOptions{}.dir.string();
  std::string threads = "1,8,64";
  std::string blocking_threads = "64";
  std::string modes = "sync,async";
  std::string recovery_sizes = "1,4";
  bool no_index = false;
};

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

StoreBenchmarkOptions Options(const BenchStoreFlags& f, const std::string& command_line) {
  StoreBenchmarkOptions o = f.options;
  o.dir = f.dir;
  o.threads = ParseThreadList(f.threads).value();
  o.blocking_threads = ParseBlockingThreads(f.blocking_threads).value();
  o.modes = ParseFlushModeList(f.modes).value();
  o.recovery_sizes_gib = ParseGibList(f.recovery_sizes).value();
  o.index = !f.no_index;
  o.command_line = command_line;
  return o;
}

}  // namespace

ProgramCommand AddBenchStoreCommand(CLI::App* bench) {
  auto f = std::make_shared<BenchStoreFlags>();
  CLI::App* app = bench->add_subcommand(
      "store",
      "The store's append throughput and latency under SYNC_FLUSH and ASYNC_FLUSH, and its "
      "crash-recovery time, against this disk's measured limits");
  app->add_option("--dir", f->dir, "directory on the disk under test (not tmpfs)")
      ->capture_default_str();
  app->add_option("--seconds", f->options.seconds, "measured seconds per store case and per limit")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 86400.0));
  app->add_option("--warmup", f->options.warmup_seconds,
                  "unmeasured seconds before each store case")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  app->add_option("--threads", f->threads,
                  "appends in flight per case, comma-separated: 1 is one thread calling the "
                  "blocking PutMessage, N > 1 keeps N PutMessageAsync calls outstanding")
      ->capture_default_str()
      ->check(ListValidator(ParseThreadList, "LIST"));
  app->add_option("--submitters", f->options.submitters,
                  "threads submitting the in-flight appends (0: min(N, hardware threads))")
      ->capture_default_str()
      ->check(CLI::Range(0, 256));
  app->add_option("--blocking-threads", f->blocking_threads,
                  "extra, informational cases of N threads each blocking in PutMessage, "
                  "comma-separated, or 'none'")
      ->capture_default_str()
      ->check(ListValidator(ParseBlockingThreads, "LIST"));
  app->add_option("--modes", f->modes, "flush modes: sync, async, comma-separated")
      ->capture_default_str()
      ->check(ListValidator(ParseFlushModeList, "LIST"));
  app->add_option(
         "--recovery-sizes", f->recovery_sizes,
         "commit-log sizes in GiB for the crash-recovery test, comma-separated (e.g. 0.25)")
      ->capture_default_str()
      ->check(ListValidator(ParseGibList, "LIST"));
  app->add_option("--body-size", f->options.body_size, "message body bytes")->capture_default_str();
  app->add_flag("--no-index", f->no_index, "run the store with messageIndexEnable=false");
  app->add_flag("--skip-limits", f->options.skip_limits, "do not measure the disk and CPU limits");
  app->add_flag("--skip-recovery", f->options.skip_recovery, "do not run the crash-recovery test");
  return {app, [f](const ProgramContext& context) {
            // The report goes to `out`; the store's own log to stderr, warnings and above.
            spdlog::set_level(spdlog::level::warn);
            return RunStoreBenchmark(Options(*f, context.command_line), context.out);
          }};
}

}  // namespace holdfast::tools::commands
