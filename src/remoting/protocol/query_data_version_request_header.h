// RocketMQ's QueryDataVersionRequestHeader, QUERY_DATA_VERSION (322): whether the name server holds
// a broker's current topic DataVersion (the body, data_version.h). Read by our name server, which
// needs only brokerAddr; the answer carries QueryDataVersionResponseHeader.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct QueryDataVersionRequestHeader {
  std::string broker_name;
  std::string broker_addr;
  std::string cluster_name;
  std::optional<int64_t> broker_id;

  static constexpr auto Fields() {
    using H = QueryDataVersionRequestHeader;
    return std::tuple{HeaderField{"brokerName", &H::broker_name, Presence::kOptional},
                      HeaderField{"brokerAddr", &H::broker_addr, Presence::kRequired},
                      HeaderField{"clusterName", &H::cluster_name, Presence::kOptional},
                      HeaderField{"brokerId", &H::broker_id, Presence::kOptional}};
  }

  bool operator==(const QueryDataVersionRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
