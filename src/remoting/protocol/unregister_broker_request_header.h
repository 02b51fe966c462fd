// RocketMQ's UnregisterBrokerRequestHeader, UNREGISTER_BROKER (104): a broker leaves the name
// server at shutdown. Written by our broker, read by our name server.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct UnregisterBrokerRequestHeader {
  std::string broker_name;
  std::string broker_addr;
  std::string cluster_name;
  int64_t broker_id = 0;

  static constexpr auto Fields() {
    using H = UnregisterBrokerRequestHeader;
    return std::tuple{HeaderField{"brokerName", &H::broker_name, Presence::kRequired},
                      HeaderField{"brokerAddr", &H::broker_addr, Presence::kRequired},
                      HeaderField{"clusterName", &H::cluster_name, Presence::kRequired},
                      HeaderField{"brokerId", &H::broker_id, Presence::kRequired}};
  }

  bool operator==(const UnregisterBrokerRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
