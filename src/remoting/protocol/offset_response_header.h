// The one-field answer header {offset} of QUERY_CONSUMER_OFFSET, GET_MAX_OFFSET, GET_MIN_OFFSET
// and SEARCH_OFFSET_BY_TIMESTAMP (RocketMQ's QueryConsumerOffsetResponseHeader,
// GetMaxOffsetResponseHeader, GetMinOffsetResponseHeader, SearchOffsetResponseHeader). Written by
// our broker, read by our consumers and tools.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct OffsetResponseHeader {
  int64_t offset = 0;

  static constexpr auto Fields() {
    using H = OffsetResponseHeader;
    return std::tuple{HeaderField{"offset", &H::offset, Presence::kRequired}};
  }

  bool operator==(const OffsetResponseHeader&) const = default;
};

using QueryConsumerOffsetResponseHeader = OffsetResponseHeader;
using GetMaxOffsetResponseHeader = OffsetResponseHeader;
using GetMinOffsetResponseHeader = OffsetResponseHeader;
using SearchOffsetResponseHeader = OffsetResponseHeader;

}  // namespace holdfast::protocol
