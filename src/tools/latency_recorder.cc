#include "tools/latency_recorder.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace holdfast::tools {
namespace {

// Index of the nearest-rank q-percentile in a sorted vector of n > 0 samples: ceil(q * n) - 1.
size_t RankIndex(double q, size_t n) {
  q = std::clamp(q, 0.0, 1.0);
  auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(n)));
  return rank == 0 ? 0 : std::min(rank, n) - 1;
}

}  // namespace

void LatencyRecorder::Merge(const LatencyRecorder& other) {
  samples_.insert(samples_.end(), other.samples_.begin(), other.samples_.end());
}

double LatencyRecorder::MeanNanos() const {
  if (samples_.empty()) return 0;
  // Summed in double: an int64 sum of many multi-second outliers could overflow.
  double sum = std::accumulate(samples_.begin(), samples_.end(), 0.0);
  return sum / static_cast<double>(samples_.size());
}

int64_t LatencyRecorder::Percentile(double q) const {
  if (samples_.empty()) return 0;
  std::vector<int64_t> copy = samples_;
  auto nth = copy.begin() + static_cast<std::ptrdiff_t>(RankIndex(q, copy.size()));
  std::nth_element(copy.begin(), nth, copy.end());
  return *nth;
}

LatencySummary LatencyRecorder::Summarize() const {
  LatencySummary s;
  if (samples_.empty()) return s;
  std::vector<int64_t> sorted = samples_;
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  s.count = n;
  s.mean_ns = MeanNanos();
  s.min_ns = sorted.front();
  s.p50_ns = sorted[RankIndex(0.50, n)];
  s.p99_ns = sorted[RankIndex(0.99, n)];
  s.p999_ns = sorted[RankIndex(0.999, n)];
  s.max_ns = sorted.back();
  return s;
}

}  // namespace holdfast::tools
