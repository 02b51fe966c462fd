#include "client/mq_fault_strategy.h"

#include <array>

namespace holdfast::client {

namespace {

// RocketMQ's latencyMax (ms) and the notAvailableDuration (ms) each step earns.
constexpr std::array<int64_t, 7> kLatencyMax = {50, 100, 550, 1000, 2000, 3000, 15000};
constexpr std::array<int64_t, 7> kNotAvailableDuration = {0,      0,      30000, 60000,
                                                          120000, 180000, 600000};

std::chrono::milliseconds NotAvailableDuration(int64_t latency_ms) {
  for (size_t i = kLatencyMax.size(); i-- > 0;) {
    if (latency_ms >= kLatencyMax[i]) return std::chrono::milliseconds(kNotAvailableDuration[i]);
  }
  return std::chrono::milliseconds(0);
}

}  // namespace

MessageQueue MQFaultStrategy::SelectOneMessageQueue(const TopicPublishInfo& info,
                                                    const std::string& last_broker_name) {
  if (!enabled_) return info.SelectOneMessageQueue(last_broker_name);
  const auto& queues = info.queues();
  const size_t n = queues.size();
  for (size_t i = 0; i < n; ++i) {
    const MessageQueue& mq = queues[info.NextIndex() % n];
    if (IsAvailable(mq.broker_name)) return mq;
  }
  // Every broker is in its penalty: fall back to the plain round robin.
  return info.SelectOneMessageQueue(last_broker_name);
}

void MQFaultStrategy::UpdateFaultItem(const std::string& broker_name,
                                      std::chrono::milliseconds latency, bool isolation) {
  if (!enabled_) return;
  const auto duration = NotAvailableDuration(isolation ? 30000 : latency.count());
  std::lock_guard<std::mutex> lock(mu_);
  available_after_[broker_name] = Clock::now() + duration;
}

bool MQFaultStrategy::IsAvailable(const std::string& broker_name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = available_after_.find(broker_name);
  return it == available_after_.end() || Clock::now() >= it->second;
}

}  // namespace holdfast::client
