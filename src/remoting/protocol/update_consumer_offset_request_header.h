// RocketMQ's UpdateConsumerOffsetRequestHeader, UPDATE_CONSUMER_OFFSET (15): a group commits its
// offset of one queue (usually oneway). Written by our consumers, read by our broker.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct UpdateConsumerOffsetRequestHeader {
  std::string consumer_group;
  std::string topic;
  int32_t queue_id = 0;
  int64_t commit_offset = 0;

  static constexpr auto Fields() {
    using H = UpdateConsumerOffsetRequestHeader;
    return std::tuple{HeaderField{"consumerGroup", &H::consumer_group, Presence::kRequired},
                      HeaderField{"topic", &H::topic, Presence::kRequired},
                      HeaderField{"queueId", &H::queue_id, Presence::kRequired},
                      HeaderField{"commitOffset", &H::commit_offset, Presence::kRequired}};
  }

  bool operator==(const UpdateConsumerOffsetRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
