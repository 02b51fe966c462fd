// RocketMQ's DeleteTopicRequestHeader, DELETE_TOPIC_IN_BROKER (215). Written by our admin tools
// (deleteTopic), read by our broker.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct DeleteTopicRequestHeader {
  std::string topic;

  static constexpr auto Fields() {
    using H = DeleteTopicRequestHeader;
    return std::tuple{HeaderField{"topic", &H::topic, Presence::kRequired}};
  }

  bool operator==(const DeleteTopicRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
