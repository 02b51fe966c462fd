// RocketMQ's GetTopicStatsInfoRequestHeader, GET_TOPIC_STATS_INFO (202), answered with a
// TopicStatsTable (topic_stats_table.h). Written by our admin tools (topicStatus), read by our
// broker.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct GetTopicStatsInfoRequestHeader {
  std::string topic;

  static constexpr auto Fields() {
    using H = GetTopicStatsInfoRequestHeader;
    return std::tuple{HeaderField{"topic", &H::topic, Presence::kRequired}};
  }

  bool operator==(const GetTopicStatsInfoRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
