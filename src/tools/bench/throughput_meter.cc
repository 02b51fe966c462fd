#include "tools/bench/throughput_meter.h"

#include <fmt/format.h>

#include <functional>

#include "tools/bench/report_format.h"

namespace holdfast::tools {

using Clock = std::chrono::steady_clock;

ThroughputMeter::ThroughputMeter(std::string what, std::ostream& out)
    : what_(std::move(what)), out_(out) {}

ThroughputMeter::~ThroughputMeter() { StopReporting(); }

void ThroughputMeter::Success(std::chrono::nanoseconds latency) {
  Shard& shard = shards_[std::hash<std::thread::id>{}(std::this_thread::get_id()) % shards_.size()];
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    shard.recorder.Record(latency);
  }
  successes_.fetch_add(1, std::memory_order_relaxed);
  window_count_.fetch_add(1, std::memory_order_relaxed);
  window_sum_ns_.fetch_add(latency.count(), std::memory_order_relaxed);
  int64_t max = window_max_ns_.load(std::memory_order_relaxed);
  while (latency.count() > max &&
         !window_max_ns_.compare_exchange_weak(max, latency.count(), std::memory_order_relaxed)) {
  }
}

void ThroughputMeter::Failure() { failures_.fetch_add(1, std::memory_order_relaxed); }

void ThroughputMeter::StartReporting() {
  std::lock_guard<std::mutex> lock(mu_);
  start_ = Clock::now();
  reporter_ = std::thread([this] { Report(); });
}

void ThroughputMeter::StopReporting() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return;
    stop_ = true;
    end_ = Clock::now();
  }
  cv_.notify_all();
  if (reporter_.joinable()) reporter_.join();
}

double ThroughputMeter::Rate() const {
  std::lock_guard<std::mutex> lock(mu_);
  const Clock::time_point end = end_ == Clock::time_point{} ? Clock::now() : end_;
  const double seconds = std::chrono::duration<double>(end - start_).count();
  return seconds > 0 ? static_cast<double>(successes_.load()) / seconds : 0;
}

LatencySummary ThroughputMeter::Summary() const {
  LatencyRecorder all;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    all.Merge(shard.recorder);
  }
  return all.Summarize();
}

void ThroughputMeter::Report() {
  std::unique_lock<std::mutex> lock(mu_);
  int second = 0;
  Clock::time_point next = start_ + std::chrono::seconds(1);
  while (!cv_.wait_until(lock, next, [&] { return stop_; })) {
    ++second;
    next += std::chrono::seconds(1);
    const uint64_t count = window_count_.exchange(0);
    const int64_t sum = window_sum_ns_.exchange(0);
    const int64_t max = window_max_ns_.exchange(0);
    out_ << fmt::format(
                "[{:>4}s] {} TPS: {:>9}  Avg RT(ms): {:>7.3f}  Max RT(ms): {:>8.3f}  "
                "Failed: {}  Total: {}\n",
                second, what_, Thousands(static_cast<double>(count)),
                count > 0 ? static_cast<double>(sum) / static_cast<double>(count) / 1e6 : 0.0,
                static_cast<double>(max) / 1e6, failures_.load(),
                Thousands(static_cast<double>(successes_.load())))
         << std::flush;
  }
}

}  // namespace holdfast::tools
