// RocketMQ's SearchOffsetRequestHeader, SEARCH_OFFSET_BY_TIMESTAMP (29): the first offset of a
// queue stored at or after a time (answered with offset_response_header.h). Written by our
// consumers and tools, read by our broker.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct SearchOffsetRequestHeader {
  std::string topic;
  int32_t queue_id = 0;
  int64_t timestamp = 0;  // ms since the epoch

  static constexpr auto Fields() {
    using H = SearchOffsetRequestHeader;
    return std::tuple{HeaderField{"topic", &H::topic, Presence::kRequired},
                      HeaderField{"queueId", &H::queue_id, Presence::kRequired},
                      HeaderField{"timestamp", &H::timestamp, Presence::kRequired}};
  }

  bool operator==(const SearchOffsetRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
