// Part b) of the store benchmark: one case, a fresh store appended to by one model of load for a
// measured window, and what it measured.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/message_store_config.h"
#include "store/put_message_result.h"
#include "tools/bench/store/store_benchmark_options.h"
#include "tools/latency_recorder.h"

namespace holdfast::tools::store_bench {

// How a case loads the store.
enum class AppendModel {
  // `threads` threads, each calling the blocking PutMessage in a loop. With 1 thread this is the
  // latency case; with more it is informational only.
  kBlockingThreads,
  // `threads` PutMessageAsync calls kept outstanding by `submitters` threads.
  kInFlight,
};

// What one case measured, or why it did not run.
struct CaseResult {
  store::FlushDiskType mode = store::FlushDiskType::kAsyncFlush;
  AppendModel model = AppendModel::kBlockingThreads;
  int threads = 0;          // appends in flight: threads, or outstanding calls
  int submitters = 0;       // kInFlight only
  bool ran = false;         // the store opened and the case completed
  std::string failure;      // why it did not run, or what went wrong after
  uint64_t put_ok = 0;      // in the measured window
  double seconds = 0;       // measured window
  double msgs_per_sec = 0;  // PUT_OK / seconds
  double mb_per_sec = 0;    // commit-log growth over the window, MB (10^6) / s
  LatencySummary latency;   // PUT_OK only: call, or submit -> completion
  std::map<store::PutMessageStatus, uint64_t> other;  // non-OK results, warm-up included
  std::string first_error;
  double first_put_seconds = 0;  // a fresh store's first PutMessage (see PrepareFreshStore)
  // At the end of the window: commit-log bytes not yet fdatasync'ed, and not yet dispatched to
  // the consume queues and the index.
  int64_t unsynced_bytes = 0;
  int64_t undispatched_bytes = 0;
  // From the last completion until dispatch reached the end of the log.
  double dispatch_catch_up_seconds = 0;
  // CPU seconds used in the measured window by each thread name (see ThreadCpuSample), or why
  // they could not be read.
  std::map<std::string, double> cpu_seconds;
  std::string cpu_error;
};

// Runs one case on a fresh store in a directory of its own under `run_dir`, removed afterwards.
// Starts and joins the appending threads; a failure is in the result, not returned.
CaseResult RunCase(const std::filesystem::path& run_dir, const StoreBenchmarkOptions& o,
                   store::FlushDiskType mode, AppendModel model, int threads);

// False for the informational cases: more than one thread blocking in PutMessage.
bool IsPrimary(const CaseResult& c);
// "1 appender", "64 in flight", "64 blocking threads".
std::string ShortLabel(const CaseResult& c);
// The label of the case's row in the tables.
std::string CaseLabel(const CaseResult& c);
// Microseconds of CPU per PUT_OK a case used in its measured window, all threads together, or
// nullopt when the CPU could not be read.
std::optional<double> CpuUsPerMessage(const CaseResult& c);
// The case that ran with `threads` appends: the blocking appender for 1, in flight otherwise,
// unless `model` says which; nullptr when there is none.
const CaseResult* FindCase(const std::vector<CaseResult>& cases, store::FlushDiskType mode,
                           int threads, std::optional<AppendModel> model = std::nullopt);

}  // namespace holdfast::tools::store_bench
