// RocketMQ's GetRouteInfoRequestHeader, GET_ROUTEINFO_BY_TOPIC (105): a topic's route
// (topic_route_data.h). Written by our client and tools, read by our name server.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct GetRouteInfoRequestHeader {
  std::string topic;
  bool accept_standard_json_only = false;  // 4.9.4+: quote brokerAddrs keys whatever the version

  static constexpr auto Fields() {
    using H = GetRouteInfoRequestHeader;
    return std::tuple{
        HeaderField{"topic", &H::topic, Presence::kRequired},
        HeaderField{"acceptStandardJsonOnly", &H::accept_standard_json_only, Presence::kOptional}};
  }

  bool operator==(const GetRouteInfoRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
