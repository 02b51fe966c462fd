// RocketMQ's GetConsumeStatsRequestHeader, GET_CONSUME_STATS (208), answered with ConsumeStats
// (consume_stats.h). Written by our admin tools (consumerProgress), read by our broker.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct GetConsumeStatsRequestHeader {
  std::string consumer_group;
  std::string topic;  // empty: every topic the group has offsets for

  static constexpr auto Fields() {
    using H = GetConsumeStatsRequestHeader;
    return std::tuple{HeaderField{"consumerGroup", &H::consumer_group, Presence::kRequired},
                      HeaderField{"topic", &H::topic, Presence::kOptional}};
  }

  bool operator==(const GetConsumeStatsRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
