// The store benchmark's options (see store_benchmark.h), their check, and the parsers of the list
// options that every front end shares.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/message_store_config.h"

namespace holdfast::tools {

struct StoreBenchmarkFigures;

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

// InvalidArgument naming the option that is out of range (RunStoreBenchmark checks this first).
[[nodiscard]] Status ValidateStoreBenchmarkOptions(const StoreBenchmarkOptions& options);

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
