// RocketMQ's NotifyConsumerIdsChangedRequestHeader, NOTIFY_CONSUMER_IDS_CHANGED (40), oneway from
// the broker to every member of a consumer group whose member set changed. Written by our broker,
// read by our client.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct NotifyConsumerIdsChangedRequestHeader {
  std::string consumer_group;

  static constexpr auto Fields() {
    using H = NotifyConsumerIdsChangedRequestHeader;
    return std::tuple{HeaderField{"consumerGroup", &H::consumer_group, Presence::kRequired}};
  }

  bool operator==(const NotifyConsumerIdsChangedRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
