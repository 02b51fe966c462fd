// RocketMQ's GetKVConfigResponseHeader: the value GET_KV_CONFIG found. Written by our name server.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct GetKVConfigResponseHeader {
  std::string value;

  static constexpr auto Fields() {
    using H = GetKVConfigResponseHeader;
    return std::tuple{HeaderField{"value", &H::value, Presence::kRequired}};
  }

  bool operator==(const GetKVConfigResponseHeader&) const = default;
};

}  // namespace holdfast::protocol
