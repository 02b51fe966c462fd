// ThroughputMeter: counts operations and their latencies for a client benchmark, prints one
// progress line per second (like RocketMQ's benchmark tools) and gives exact percentiles at the
// end.
//
// Threads: Success()/Failure() may be called from any number of threads at once (samples go to
// one of several mutex-guarded shards by thread). StartReporting() starts one reporter thread that
// prints to `out` each second until StopReporting() (also by the destructor).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "tools/latency_recorder.h"

namespace holdfast::tools {

class ThroughputMeter {
 public:
  // `what` names the operation in the progress line: "Send", "Consume".
  ThroughputMeter(std::string what, std::ostream& out);
  ~ThroughputMeter();
  ThroughputMeter(const ThroughputMeter&) = delete;
  ThroughputMeter& operator=(const ThroughputMeter&) = delete;

  void Success(std::chrono::nanoseconds latency);
  void Failure();

  void StartReporting();
  void StopReporting();

  uint64_t successes() const { return successes_.load(); }
  uint64_t failures() const { return failures_.load(); }
  // Successes per second since StartReporting() (or construction) until StopReporting() (or now).
  double Rate() const;
  // Every latency recorded so far.
  LatencySummary Summary() const;

 private:
  struct Shard {
    mutable std::mutex mu;
    LatencyRecorder recorder;
  };
  void Report();

  const std::string what_;
  std::ostream& out_;
  std::array<Shard, 16> shards_;
  std::atomic<uint64_t> successes_{0};
  std::atomic<uint64_t> failures_{0};
  // The current second's figures, taken and reset by the reporter.
  std::atomic<uint64_t> window_count_{0};
  std::atomic<int64_t> window_sum_ns_{0};
  std::atomic<int64_t> window_max_ns_{0};

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point end_{};  // guarded by mu_; zero while running
  std::thread reporter_;
};

}  // namespace holdfast::tools
