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

#include <filesystem>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/message_store_config.h"

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

struct StoreBenchmarkOptions {
  // The directory on the disk under test. The benchmark works in a subdirectory of its own,
  // holdfast-store-bench-<pid>, and removes it at the end; `dir` itself is created when missing
  // and removed again if it was created and is then empty. tmpfs is refused: its fsync is a no-op.
  std::filesystem::path dir = "bench-data";
  double seconds = 3.0;         // measured time of every store case and every limit measurement
  double warmup_seconds = 0.5;  // unmeasured appending before each store case
  // Appends in flight per case: 1 is one blocking appender, N > 1 N PutMessageAsync calls kept
  // outstanding by `submitters` threads (0: min(N, the hardware's thread count)).
  std::vector<int> threads = {1, 8, 64};
  int submitters = 0;
  // Extra, informational cases per mode: N threads each calling the blocking PutMessage. Empty
  // for none.
  std::vector<int> blocking_threads = {64};
  std::vector<store::FlushDiskType> modes = {store::FlushDiskType::kSyncFlush,
                                             store::FlushDiskType::kAsyncFlush};
  std::vector<double> recovery_sizes_gib = {1.0, 4.0};
  bool skip_limits = false;
  bool skip_recovery = false;

  // The messages: `body_size`-byte bodies to `topic`, spread over `queues` queues, each with a
  // TAGS, a KEYS and a UNIQ_KEY property. With `index` the store's index is on (the default, as
  // a broker runs) and builds two entries per message.
  size_t body_size = 1024;
  std::string topic = "BenchmarkTest";
  int queues = 8;
  bool index = true;

  // Echoed in the report's header; the caller's own command line.
  std::string command_line;

  // When set, filled with the figures of every part that ran before RunStoreBenchmark returns
  // (left untouched when the options or the directory are refused); the report is printed as
  // always. Must outlive the call.
  StoreBenchmarkFigures* figures = nullptr;
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

// Parsers for the comma-separated list options, shared by every front end. Each rejects an empty
// list, an empty item and trailing junk with InvalidArgument naming the item.
// "1,8,64": positive integers.
[[nodiscard]] Result<std::vector<int>> ParseThreadList(std::string_view text);
// "sync,async" (also "SYNC_FLUSH", "ASYNC_FLUSH", any case).
[[nodiscard]] Result<std::vector<store::FlushDiskType>> ParseFlushModeList(std::string_view text);
// "1,4" or "0.25": positive sizes in GiB.
[[nodiscard]] Result<std::vector<double>> ParseGibList(std::string_view text);

// "SYNC_FLUSH" or "ASYNC_FLUSH".
std::string_view FlushDiskTypeName(store::FlushDiskType type);

}  // namespace holdfast::tools
