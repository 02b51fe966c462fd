// RocketMQ's TopicQueueRequestHeader shape, one queue of a topic: the header of GET_MAX_OFFSET (30)
// and GET_MIN_OFFSET (31) (GetMaxOffsetRequestHeader, GetMinOffsetRequestHeader; answered with
// offset_response_header.h). Written by our consumers and tools, read by our broker.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct TopicQueueRequestHeader {
  std::string topic;
  int32_t queue_id = 0;

  static constexpr auto Fields() {
    using H = TopicQueueRequestHeader;
    return std::tuple{HeaderField{"topic", &H::topic, Presence::kRequired},
                      HeaderField{"queueId", &H::queue_id, Presence::kRequired}};
  }

  bool operator==(const TopicQueueRequestHeader&) const = default;
};

using GetMaxOffsetRequestHeader = TopicQueueRequestHeader;
using GetMinOffsetRequestHeader = TopicQueueRequestHeader;

}  // namespace holdfast::protocol
