// The store benchmark: in one run, on one disk, measures what the disk and CPU can do (the
// physical limits of disk_limits.h), what the message store does with 1 KiB messages under
// SYNC_FLUSH and ASYNC_FLUSH with 1..N concurrent appends, the ratios between the two against
// their targets, and how long the store takes to recover after a kill -9 and after a clean
// shutdown. Everything is printed as aligned text tables.
//
// "N concurrent appends" means what N producers with one send outstanding each do to a broker:
// N = 1 is one thread calling the blocking PutMessage (the latency case); N > 1 is N appends in
// flight through PutMessageAsync, issued by a few submitting threads and answered by the store's
// completions, as the broker's network threads do. N threads each blocking in PutMessage are
// reported as well, as an extra labelled row: the broker does not work that way.
//
// Used by the standalone program holdfast_store_benchmark and by `holdfast bench store`.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <vector>

#include "store/message_store_config.h"
#include "tools/bench/store/store_benchmark_options.h"

namespace holdfast::tools {

// What a run measured, for a caller that compares it with other figures (the cluster benchmark).
// Only what ran is present: a skipped or failed measurement is absent.
struct StoreBenchmarkFigures {
  struct Case {
    store::FlushDiskType mode = store::FlushDiskType::kSyncFlush;
    int threads = 0;        // appends in flight, or blocking threads
    bool blocking = false;  // `threads` threads each in PutMessage (always so for 1)
    double msgs_per_sec = 0;
    double p50_us = 0;
    double p99_us = 0;
  };
  std::vector<Case> cases;
  // 1 KiB pwrite + fdatasync, one writer, pre-zeroed file: the raw sync latency.
  std::optional<double> fdatasync_p50_us;
  // The ideal group commit (N x 1 KiB pwrite + 1 fdatasync) in msgs/s, by N.
  std::map<int, double> ideal_group_commit_msgs_per_sec;

  // The case with these appends in flight (blocking for 1), or nullptr.
  const Case* Find(store::FlushDiskType mode, int threads) const;
};

// Runs every part not skipped and prints the report to `out` as it goes. Returns the process exit
// code: 0 when every measurement ran and the store returned only PUT_OK (a missed target is
// reported, not a failure); 1 when a measurement failed or the store returned another status,
// failed to open, or lost acknowledged data across the crash; 2 for invalid options (nothing is
// run). Prints to `out` only; the store's own log goes wherever spdlog's default logger points.
//
// Forks once per recovery size (the child fills a store and is killed with SIGKILL), so call it
// from a process with no other threads running. Not reentrant: run one at a time per disk.
int RunStoreBenchmark(const StoreBenchmarkOptions& options, std::ostream& out);

}  // namespace holdfast::tools
