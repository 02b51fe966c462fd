// RocketMQ's TopicStatsTable, the body of GET_TOPIC_STATS_INFO (docs/protocol.md §5.3): each queue
// of a topic on one broker with its offset range. Written by the broker, read by the admin tools.
// {"offsetTable":{{"brokerName":..,"queueId":0,"topic":..}:{"lastUpdateTimestamp":..,
// "maxOffset":..,"minOffset":..},..}} with fastjson's raw MessageQueue keys (message_queue.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/status.h"
#include "holdfast/message.h"

namespace holdfast::protocol {

// RocketMQ's TopicOffset.
struct TopicOffset {
  int64_t min_offset = 0;             // minOffset
  int64_t max_offset = 0;             // maxOffset
  int64_t last_update_timestamp = 0;  // lastUpdateTimestamp: store time of the last message

  bool operator==(const TopicOffset&) const = default;
};

struct TopicStatsTable {
  std::map<MessageQueue, TopicOffset> offset_table;

  bool operator==(const TopicStatsTable&) const = default;
};

std::string EncodeTopicStatsTable(const TopicStatsTable& table);
// Corruption naming what is wrong.
Result<TopicStatsTable> DecodeTopicStatsTable(std::string_view body);

}  // namespace holdfast::protocol
