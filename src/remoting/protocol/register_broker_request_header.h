// RocketMQ's RegisterBrokerRequestHeader, REGISTER_BROKER (103): a broker announces itself and its
// topics (the body: register_broker_body.h) to a name server. Written by our broker, read by our
// name server and by it from every RocketMQ broker.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct RegisterBrokerRequestHeader {
  std::string broker_name;
  std::string broker_addr;  // ip:port
  std::string cluster_name;
  std::string ha_server_addr;                       // ip:haPort
  int64_t broker_id = 0;                            // 0 is the master
  std::optional<int64_t> heartbeat_timeout_millis;  // 5.x; absent: the name server's default
  bool compressed = false;                          // the body is the compressed form
  bool enable_acting_master = false;
  std::optional<int32_t> body_crc32;  // UtilAll.crc32 of the body; 0 or absent: not checked

  static constexpr auto Fields() {
    using H = RegisterBrokerRequestHeader;
    return std::tuple{
        HeaderField{"brokerName", &H::broker_name, Presence::kRequired},
        HeaderField{"brokerAddr", &H::broker_addr, Presence::kRequired},
        HeaderField{"clusterName", &H::cluster_name, Presence::kRequired},
        HeaderField{"haServerAddr", &H::ha_server_addr, Presence::kRequired},
        HeaderField{"brokerId", &H::broker_id, Presence::kRequired},
        HeaderField{"heartbeatTimeoutMillis", &H::heartbeat_timeout_millis, Presence::kOptional},
        HeaderField{"compressed", &H::compressed, Presence::kOptional},
        HeaderField{"enableActingMaster", &H::enable_acting_master, Presence::kOptional},
        HeaderField{"bodyCrc32", &H::body_crc32, Presence::kOptional}};
  }

  bool operator==(const RegisterBrokerRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
