// RocketMQ's PutKVConfigRequestHeader, PUT_KV_CONFIG (100): one namespaced key/value on a name
// server. Read by our name server.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct PutKVConfigRequestHeader {
  std::string name_space;
  std::string key;
  std::string value;

  static constexpr auto Fields() {
    using H = PutKVConfigRequestHeader;
    return std::tuple{HeaderField{"namespace", &H::name_space, Presence::kRequired},
                      HeaderField{"key", &H::key, Presence::kRequired},
                      HeaderField{"value", &H::value, Presence::kRequired}};
  }

  bool operator==(const PutKVConfigRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
