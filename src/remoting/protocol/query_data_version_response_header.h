// RocketMQ's QueryDataVersionResponseHeader: whether the broker's DataVersion differs from the one
// the name server holds. Written by our name server.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct QueryDataVersionResponseHeader {
  bool changed = false;

  static constexpr auto Fields() {
    using H = QueryDataVersionResponseHeader;
    return std::tuple{HeaderField{"changed", &H::changed, Presence::kRequired}};
  }

  bool operator==(const QueryDataVersionResponseHeader&) const = default;
};

}  // namespace holdfast::protocol
