// RocketMQ's RegisterBrokerResponseHeader: what a name server tells a registering slave about its
// master. Written by our name server, read by our broker.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct RegisterBrokerResponseHeader {
  std::string ha_server_addr;  // empty until the master registered
  std::string master_addr;

  static constexpr auto Fields() {
    using H = RegisterBrokerResponseHeader;
    return std::tuple{HeaderField{"haServerAddr", &H::ha_server_addr, Presence::kOptional},
                      HeaderField{"masterAddr", &H::master_addr, Presence::kOptional}};
  }

  bool operator==(const RegisterBrokerResponseHeader&) const = default;
};

}  // namespace holdfast::protocol
