// RocketMQ's GetKVConfigRequestHeader and DeleteKVConfigRequestHeader (the same two fields):
// GET_KV_CONFIG (101) and DELETE_KV_CONFIG (102). Read by our name server; GET_KV_CONFIG is
// answered with GetKVConfigResponseHeader.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct KVConfigRequestHeader {
  std::string name_space;
  std::string key;

  static constexpr auto Fields() {
    using H = KVConfigRequestHeader;
    return std::tuple{HeaderField{"namespace", &H::name_space, Presence::kRequired},
                      HeaderField{"key", &H::key, Presence::kRequired}};
  }

  bool operator==(const KVConfigRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
