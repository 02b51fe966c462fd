#include "tools/bench/cluster/end_to_end_recorder.h"

#include <cstdlib>

#include "tools/bench/client_benchmark.h"

namespace holdfast::tools::cluster_bench {

void EndToEndRecorder::OnMessages(const std::vector<MQMessageExt>& msgs) {
  const int64_t now_ns = WallClockNanos();
  const int64_t from = measure_from_ns_.load();
  std::lock_guard lock(mu_);
  for (const MQMessageExt& m : msgs) {
    ++received_;
    auto stamp = m.properties.find(kSendNanosProperty);
    if (from > 0 && stamp != m.properties.end() && std::atoll(stamp->second.c_str()) >= from) {
      latency_.Record(EndToEndLatency(m, now_ns));
    }
  }
  cv_.notify_all();
}

void EndToEndRecorder::StartMeasuring() { measure_from_ns_.store(WallClockNanos()); }

bool EndToEndRecorder::WaitReceived(uint64_t n, TimePoint deadline) {
  std::unique_lock lock(mu_);
  return cv_.wait_until(lock, deadline, [&] { return received_ >= n; });
}

bool EndToEndRecorder::WaitMeasured(uint64_t n, TimePoint deadline) {
  std::unique_lock lock(mu_);
  return cv_.wait_until(lock, deadline, [&] { return latency_.count() >= n; });
}

LatencySummary EndToEndRecorder::Summary() const {
  std::lock_guard lock(mu_);
  return latency_.Summarize();
}

}  // namespace holdfast::tools::cluster_bench
