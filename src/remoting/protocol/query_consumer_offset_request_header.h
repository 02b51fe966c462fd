// RocketMQ's QueryConsumerOffsetRequestHeader, QUERY_CONSUMER_OFFSET (14): a group's committed
// offset of one queue. Written by our consumers, read by our broker. The answer carries
// QueryConsumerOffsetResponseHeader (offset_response_header.h), or QUERY_NOT_FOUND.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct QueryConsumerOffsetRequestHeader {
  std::string consumer_group;
  std::string topic;
  int32_t queue_id = 0;
  std::optional<bool> set_zero_if_not_found;  // absent: true (4.x clients send none)

  static constexpr auto Fields() {
    using H = QueryConsumerOffsetRequestHeader;
    return std::tuple{
        HeaderField{"consumerGroup", &H::consumer_group, Presence::kRequired},
        HeaderField{"topic", &H::topic, Presence::kRequired},
        HeaderField{"queueId", &H::queue_id, Presence::kRequired},
        HeaderField{"setZeroIfNotFound", &H::set_zero_if_not_found, Presence::kOptional}};
  }

  bool operator==(const QueryConsumerOffsetRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
