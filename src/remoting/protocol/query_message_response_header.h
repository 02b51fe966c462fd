// RocketMQ's QueryMessageResponseHeader: how far the broker's index had got when it answered.
// Written by our broker.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct QueryMessageResponseHeader {
  int64_t index_last_update_timestamp = 0;
  int64_t index_last_update_phyoffset = 0;

  static constexpr auto Fields() {
    using H = QueryMessageResponseHeader;
    return std::tuple{HeaderField{"indexLastUpdateTimestamp", &H::index_last_update_timestamp,
                                  Presence::kRequired},
                      HeaderField{"indexLastUpdatePhyoffset", &H::index_last_update_phyoffset,
                                  Presence::kRequired}};
  }

  bool operator==(const QueryMessageResponseHeader&) const = default;
};

}  // namespace holdfast::protocol
