// RocketMQ's GetConsumerListByGroupRequestHeader, GET_CONSUMER_LIST_BY_GROUP (38): the client ids
// of a group's members (the answer's body: get_consumer_list_by_group_response_body.h). Written by
// our consumers, read by our broker.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct GetConsumerListByGroupRequestHeader {
  std::string consumer_group;

  static constexpr auto Fields() {
    using H = GetConsumerListByGroupRequestHeader;
    return std::tuple{HeaderField{"consumerGroup", &H::consumer_group, Presence::kRequired}};
  }

  bool operator==(const GetConsumerListByGroupRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
