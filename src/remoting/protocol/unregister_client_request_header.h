// RocketMQ's UnregisterClientRequestHeader, UNREGISTER_CLIENT (35): a client leaves its producer
// and/or consumer group. Written by our client, read by our broker.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct UnregisterClientRequestHeader {
  std::string client_id;
  std::string producer_group;  // empty: not written
  std::string consumer_group;  // empty: not written

  static constexpr auto Fields() {
    using H = UnregisterClientRequestHeader;
    return std::tuple{HeaderField{"clientID", &H::client_id, Presence::kRequired},
                      HeaderField{"producerGroup", &H::producer_group, Presence::kOptional},
                      HeaderField{"consumerGroup", &H::consumer_group, Presence::kOptional}};
  }

  bool operator==(const UnregisterClientRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
