// LatencyRecorder: keeps every latency sample of a benchmark and reports exact percentiles.
//
// Thread-compatible, not thread-safe: give each measuring thread its own recorder and Merge() them
// into one after the threads have joined. Const methods may run concurrently with each other but
// not with Record(), Merge() or Clear(). Memory grows by 8 bytes per sample; Reserve() up front to
// keep allocation out of the measured loop.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace holdfast::tools {

// A recorder's figures, all in nanoseconds. Every field is 0 when count is 0.
struct LatencySummary {
  uint64_t count = 0;
  double mean_ns = 0;
  int64_t min_ns = 0;
  int64_t p50_ns = 0;
  int64_t p99_ns = 0;
  int64_t p999_ns = 0;
  int64_t max_ns = 0;

  double p50_us() const { return static_cast<double>(p50_ns) / 1e3; }
  double p99_us() const { return static_cast<double>(p99_ns) / 1e3; }
  double p999_us() const { return static_cast<double>(p999_ns) / 1e3; }
  double mean_us() const { return mean_ns / 1e3; }
  double max_us() const { return static_cast<double>(max_ns) / 1e3; }
};

class LatencyRecorder {
 public:
  LatencyRecorder() = default;

  void Reserve(size_t samples) { samples_.reserve(samples); }
  void Record(int64_t nanos) { samples_.push_back(nanos); }
  void Record(std::chrono::nanoseconds d) { samples_.push_back(d.count()); }

  // Appends every sample of `other`; `other` is left unchanged.
  void Merge(const LatencyRecorder& other);
  void Clear() { samples_.clear(); }

  uint64_t count() const { return samples_.size(); }
  double MeanNanos() const;

  // The nearest-rank percentile: the smallest sample such that at least q of all samples are <= it
  // (q in [0, 1], clamped). 0 when empty. Copies the samples: O(n) per call; to read several
  // percentiles, call Summarize() once instead.
  int64_t Percentile(double q) const;

  // count, mean, min, p50, p99, p99.9 and max from one sorted copy of the samples.
  LatencySummary Summarize() const;

 private:
  std::vector<int64_t> samples_;
};

}  // namespace holdfast::tools
