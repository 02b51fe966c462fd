// The run: the report's header, then the parts in order, each in a file of its own: a) limits
// (disk_limits_report.h), b) store cases (append_case.h, append_report.h), c) ratios
// (ratio_report.h), d) crash recovery (crash_recovery.h, recovery_report.h).
#include "tools/bench/store/store_benchmark.h"

#include <linux/magic.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "tools/bench/report_format.h"
#include "tools/bench/store/append_case.h"
#include "tools/bench/store/append_report.h"
#include "tools/bench/store/crash_recovery.h"
#include "tools/bench/store/disk_limits_report.h"
#include "tools/bench/store/message_maker.h"
#include "tools/bench/store/ratio_report.h"
#include "tools/bench/store/recovery_report.h"
#include "tools/limits/machine_description.h"

namespace holdfast::tools {

namespace {

using store::FlushDiskType;
using store::MessageStoreConfig;

void FillFigures(const store_bench::DiskLimits& limits,
                 const std::vector<store_bench::CaseResult>& cases,
                 StoreBenchmarkFigures* figures) {
  *figures = StoreBenchmarkFigures{};
  for (const store_bench::CaseResult& c : cases) {
    if (!c.ran) continue;
    figures->cases.push_back({c.mode, c.threads,
                              c.model == store_bench::AppendModel::kBlockingThreads, c.msgs_per_sec,
                              c.latency.p50_us(), c.latency.p99_us()});
  }
  if (limits.prezeroed) figures->fdatasync_p50_us = limits.prezeroed->p50_us;
  for (const auto& [n, stats] : limits.batch) {
    figures->ideal_group_commit_msgs_per_sec[n] = stats.messages_per_sec;
  }
}

}  // namespace

const StoreBenchmarkFigures::Case* StoreBenchmarkFigures::Find(store::FlushDiskType mode,
                                                               int threads) const {
  for (const Case& c : cases) {
    if (c.mode == mode && c.threads == threads && c.blocking == (threads == 1)) return &c;
  }
  return nullptr;
}

int RunStoreBenchmark(const StoreBenchmarkOptions& options, std::ostream& out) {
  if (Status s = ValidateStoreBenchmarkOptions(options); !s.ok()) {
    out << "invalid options: " << s.message() << '\n' << std::flush;
    return 2;
  }
  std::error_code ec;
  const bool created_dir = !std::filesystem::exists(options.dir, ec);
  std::filesystem::create_directories(options.dir, ec);
  if (ec) {
    out << "cannot create " << options.dir.string() << ": " << ec.message() << '\n' << std::flush;
    return 1;
  }
  const std::filesystem::path dir = std::filesystem::absolute(options.dir, ec);
  auto remove_dir_if_created = [&] {
    std::error_code ignored;
    if (created_dir && std::filesystem::is_empty(dir, ignored))
      std::filesystem::remove(dir, ignored);
  };
  if (struct statfs fs;
      statfs(dir.c_str(), &fs) == 0 && (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC)) {
    out << dir.string()
        << " is on tmpfs/ramfs, where fdatasync does nothing; give --dir on the disk under test\n"
        << std::flush;
    remove_dir_if_created();
    return 2;
  }
  const std::filesystem::path run_dir = dir / fmt::format("holdfast-store-bench-{}", getpid());
  std::filesystem::create_directories(run_dir, ec);
  if (ec) {
    out << "cannot create " << run_dir.string() << ": " << ec.message() << '\n' << std::flush;
    remove_dir_if_created();
    return 1;
  }

  int64_t record_size = store_bench::MessageMaker(options, 0).RecordSize();
  out << "Holdfast store benchmark\n";
  out << "machine:  " << DescribeMachine(dir) << '\n';
  out << "command:  " << (options.command_line.empty() ? "(not given)" : options.command_line)
      << '\n';
  out << "data:     " << run_dir.string() << " (removed at the end)\n";
  out << fmt::format(
      "messages: {}-byte body, topic {}, {} queues, TAGS + KEYS + UNIQ_KEY properties, index {}; "
      "{} bytes per stored record\n",
      options.body_size, options.topic, options.queues, options.index ? "on" : "off", record_size);
  out << fmt::format(
      "store:    MessageStoreConfig defaults otherwise (commit-log segments of {}, "
      "warm mapped files {}, flushIntervalCommitLog {} ms)\n",
      Bytes(MessageStoreConfig{}.mapped_file_size_commit_log),
      MessageStoreConfig{}.warm_mapped_file_enable ? "on" : "off",
      MessageStoreConfig{}.flush_interval_commit_log);
  out << fmt::format(
             "timing:   {:g} s per limit measurement and per store case; each case on a fresh "
             "store, measured after its first PutMessage returned, its next commit-log segment "
             "was prepared and {:g} s of warm-up; syncfs() before each measurement\n",
             options.seconds, options.warmup_seconds)
      << std::flush;

  bool ok = true;
  store_bench::DiskLimits limits;
  if (options.skip_limits) {
    Section(out, "a) Physical limits: skipped (--skip-limits)");
  } else {
    const std::filesystem::path limits_dir = run_dir / "limits";
    std::filesystem::create_directories(limits_dir, ec);
    ok &= store_bench::RunDiskLimits(limits_dir, options.seconds, out, &limits);
    std::filesystem::remove_all(limits_dir, ec);
  }

  std::vector<store_bench::CaseResult> cases;
  if (options.modes.empty() || options.threads.empty()) {
    Section(out, "b) Store appends: no cases (empty --modes or --threads)");
  } else {
    Section(
        out,
        fmt::format(
            "b) Store appends of 1 message per call, {:g} s per case; latency of each PUT_OK.\n"
            "   1 appender: one thread calling the blocking PutMessage; latency of the call.\n"
            "   N in flight: submitter threads keep N PutMessageAsync calls outstanding, as N "
            "producers with one send\n"
            "   outstanding each load a broker; latency from the call to the store's completion "
            "(SYNC_FLUSH: after the\n"
            "   covering fdatasync; ASYNC_FLUSH: immediate, inside the call). The submitters "
            "encode the messages.\n"
            "   N blocking threads: N threads each calling PutMessage, for comparison only (a "
            "broker does not block\n"
            "   its threads on the disk).\n"
            "   unsynced / undispatched: commit-log bytes not yet fdatasync'ed / not yet "
            "dispatched to consume queues +\n"
            "   index when the window ended; catch-up: from the last completion until dispatch "
            "reached the end of the log.",
            options.seconds));
  }
  for (size_t m = 0; m < options.modes.size(); ++m) {
    const FlushDiskType mode = options.modes[m];
    auto run = [&](store_bench::AppendModel model, int threads) {
      store_bench::CaseResult c = store_bench::RunCase(run_dir, options, mode, model, threads);
      if (!c.ran || !c.failure.empty() || !c.other.empty()) ok = false;
      cases.push_back(std::move(c));
    };
    for (int threads : options.threads) {
      run(threads == 1 ? store_bench::AppendModel::kBlockingThreads
                       : store_bench::AppendModel::kInFlight,
          threads);
    }
    for (int threads : options.blocking_threads) {
      const bool duplicate =
          threads == 1 &&
          std::find(options.threads.begin(), options.threads.end(), 1) != options.threads.end();
      if (!duplicate) run(store_bench::AppendModel::kBlockingThreads, threads);
    }
    if (m > 0) out << '\n';
    store_bench::PrintCases(cases, mode, out);
    store_bench::PrintCpu(cases, mode, out);
  }

  store_bench::PrintRatios(limits, !options.skip_limits, cases, out);

  if (options.skip_recovery) {
    Section(out, "d) Crash recovery: skipped (--skip-recovery)");
  } else if (!options.recovery_sizes_gib.empty()) {
    Section(
        out,
        fmt::format("d) Crash recovery, per size on one store: (1) a child process fills it "
                    "at full speed (ASYNC_FLUSH, {} threads x PutMessages of {}) and is killed "
                    "with SIGKILL, (2) it is recovered, shut down cleanly and reopened, (3) a "
                    "second child appends to it for {:g} s and is killed",
                    store_bench::kFillThreads, store_bench::kFillBatch, store_bench::kTailSeconds));
    std::vector<store_bench::RecoveryResult> results;
    for (double gib : options.recovery_sizes_gib) {
      results.push_back(store_bench::RunRecovery(run_dir, options, gib, out));
      if (store_bench::RecoveryFailed(results.back())) ok = false;
    }
    store_bench::PrintRecovery(results, out);
    out << "  Recovery re-validates and re-dispatches every record past the lowest checkpoint "
           "offset (commit log, consume\n"
           "  queues, index). SIGKILL ends the process, not the machine: the page cache keeps "
           "every appended byte, but a\n"
           "  write the kill interrupts can stop at a page boundary, which recovery cuts as a torn "
           "tail.\n";
  }

  if (options.figures != nullptr) FillFigures(limits, cases, options.figures);

  std::filesystem::remove_all(run_dir, ec);
  remove_dir_if_created();
  out << '\n'
      << (ok ? "done: every measurement ran and the store returned only PUT_OK\n"
             : "done: FAILURES above (lines starting with '!')\n")
      << "data removed: " << run_dir.string() << '\n'
      << std::flush;
  return ok ? 0 : 1;
}

}  // namespace holdfast::tools
