// EndToEndRecorder: the cluster benchmark's consumer side. It counts what a push consumer receives
// and keeps the end-to-end latency (the producer's kSendNanosProperty stamp -> the listener) of
// the messages stamped once measuring started.
//
// Threads: OnMessages runs on the consumer's threads, the rest on the benchmark's; every method
// is thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

#include "holdfast/message.h"
#include "tools/latency_recorder.h"

namespace holdfast::tools::cluster_bench {

class EndToEndRecorder {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // The consumer's listener: counts the messages and records the measured ones.
  void OnMessages(const std::vector<MQMessageExt>& msgs);
  // Records from now on the messages stamped from now on.
  void StartMeasuring();
  // Wait until n messages arrived in all / n measured messages arrived, or the deadline passed;
  // true when they did.
  bool WaitReceived(uint64_t n, TimePoint deadline);
  bool WaitMeasured(uint64_t n, TimePoint deadline);
  LatencySummary Summary() const;

 private:
  std::atomic<int64_t> measure_from_ns_{0};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint64_t received_ = 0;    // guarded by mu_
  LatencyRecorder latency_;  // guarded by mu_
};

}  // namespace holdfast::tools::cluster_bench
