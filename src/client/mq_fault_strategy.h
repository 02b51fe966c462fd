// Latency-based broker avoidance for producers (RocketMQ's MQFaultStrategy with its
// LatencyFaultToleranceImpl): after each send the broker is marked unavailable for a time that
// grows with the send's latency (a failure counts as 30 s of latency), and queue selection prefers
// brokers that are available again. Off by default, as in RocketMQ (send_latency_fault_enable).
//
// Thread-safe: the fault table is guarded by mu_.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "client/topic_publish_info.h"

namespace holdfast::client {

class MQFaultStrategy {
 public:
  explicit MQFaultStrategy(bool enabled) : enabled_(enabled) {}

  bool enabled() const { return enabled_; }

  // The queue to send to next; without the strategy enabled, TopicPublishInfo's round robin.
  MessageQueue SelectOneMessageQueue(const TopicPublishInfo& info,
                                     const std::string& last_broker_name);
  // Records a send to `broker_name` that took `latency`; `isolation` (a failure) counts as 30 s.
  void UpdateFaultItem(const std::string& broker_name, std::chrono::milliseconds latency,
                       bool isolation);
  bool IsAvailable(const std::string& broker_name) const;

 private:
  using Clock = std::chrono::steady_clock;

  // Constant after construction.
  const bool enabled_;

  mutable std::mutex mu_;
  std::map<std::string, Clock::time_point> available_after_;  // guarded by mu_
};

}  // namespace holdfast::client
