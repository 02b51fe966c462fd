// RocketMQ's ConsumeStats, the body of GET_CONSUME_STATS (docs/protocol.md §5.3): each queue a
// consumer group reads on one broker, with the broker's and the group's offsets. Written by the
// broker, read by the admin tools.
// {"offsetTable":{{MessageQueue}:{"brokerOffset":..,"consumerOffset":.., "lastTimestamp":..},..}}
// with fastjson's raw MessageQueue keys (message_queue.h). consumeTps is not written (the broker
// does not count consumption rates yet; Java reads 0).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/status.h"
#include "holdfast/message.h"

namespace holdfast::protocol {

// RocketMQ's OffsetWrapper.
struct OffsetWrapper {
  int64_t broker_offset = 0;    // brokerOffset: the queue's max offset
  int64_t consumer_offset = 0;  // consumerOffset: the group's committed offset
  int64_t last_timestamp = 0;   // lastTimestamp: store time of the last consumed message

  bool operator==(const OffsetWrapper&) const = default;
};

struct ConsumeStats {
  std::map<MessageQueue, OffsetWrapper> offset_table;

  bool operator==(const ConsumeStats&) const = default;
};

std::string EncodeConsumeStats(const ConsumeStats& stats);
// Corruption naming what is wrong.
Result<ConsumeStats> DecodeConsumeStats(std::string_view body);

}  // namespace holdfast::protocol
