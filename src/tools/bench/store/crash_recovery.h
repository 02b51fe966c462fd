// Part d) of the store benchmark: crash recovery, per commit-log size, on one store: kill -9 of a
// child filling it, recovery, a clean reopen, and kill -9 of a second child's short tail.
#pragma once

#include <climits>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>

#include "store/message_store.h"
#include "tools/bench/store/store_benchmark_options.h"

namespace holdfast::tools::store_bench {

// The filling children: kFillThreads threads, each appending batches of kFillBatch messages.
inline constexpr int kFillThreads = 4;
inline constexpr int kFillBatch = 32;
// How long the second child of each recovery size appends before it is killed.
inline constexpr double kTailSeconds = 1.0;

// What a filling child reports on its stdout (a pipe to the parent), once, when it reached its
// target or its time (or failed). Plain data, smaller than PIPE_BUF so that one write() delivers it
// whole.
struct FillReport {
  int32_t failed = 0;
  int64_t start_offset = 0;  // end of the log when the child's store had opened
  int64_t messages = 0;
  int64_t max_offset = 0;
  int64_t flushed_offset = 0;
  int64_t dispatched_offset = 0;
  double fill_seconds = 0;
  char error[512] = {};
};
static_assert(sizeof(FillReport) < PIPE_BUF);

// One child filling the store and killed with SIGKILL, and the reopen after it.
struct CrashRun {
  bool ran = false;  // the child reported and was killed
  FillReport fill;
  double kill_ms = 0;  // from reading the child's report to its death (waitpid)
  bool abort_marker = false;
  bool checkpoint_valid = false;
  int64_t checkpoint_physic = 0;
  int64_t checkpoint_logics = 0;
  int64_t checkpoint_index = 0;
  bool reopened = false;
  store::RecoveryInfo recovery;
  int64_t lost_bytes = 0;  // appended before the report, missing after recovery
};

// One recovery size: its three steps.
struct RecoveryResult {
  double gib = 0;
  std::string failure;  // empty when every step ran
  CrashRun full;        // filled to `gib` at full speed, then killed
  double clean_shutdown_seconds = 0;
  bool clean_opened = false;
  store::RecoveryInfo clean;
  CrashRun tail;  // reopened, kTailSeconds of full-speed appends, then killed
};

// True when a step failed, data was lost, or an abort marker was missing or left behind.
bool RecoveryFailed(const RecoveryResult& r);

// Runs the three steps on a store of `gib` GiB in a directory of its own under `run_dir` (removed
// afterwards), flushing `out` before each fork. Forks: call it while the process runs no other
// thread. A failure is in the result, not returned.
RecoveryResult RunRecovery(const std::filesystem::path& run_dir, const StoreBenchmarkOptions& o,
                           double gib, std::ostream& out);

}  // namespace holdfast::tools::store_bench
