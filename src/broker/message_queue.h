// RocketMQ's MessageQueue (topic, brokerName, queueId) as it appears inside JSON bodies
// (docs/protocol.md §5.3):
// {"brokerName":S,"queueId":I,"topic":S}. Ordered by topic, then brokerName, then queueId, as the
// Java class compares (rebalance sorts queues this way).
#pragma once

#include <compare>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace holdfast::broker {

struct MessageQueue {
  std::string topic;
  std::string broker_name;
  int32_t queue_id = 0;

  auto operator<=>(const MessageQueue&) const = default;
  bool operator==(const MessageQueue&) const = default;

  nlohmann::json ToJson() const;
  // InvalidArgument naming the field when one is missing or has the wrong type.
  static Result<MessageQueue> FromJson(const nlohmann::json& j);
};

}  // namespace holdfast::broker
