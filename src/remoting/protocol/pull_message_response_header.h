// RocketMQ's PullMessageResponseHeader, the answer to a pull (docs/protocol.md §4.2). Written by
// our broker, read by our consumers.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct PullMessageResponseHeader {
  int64_t suggest_which_broker_id = 0;
  int64_t next_begin_offset = 0;
  int64_t min_offset = 0;
  int64_t max_offset = 0;

  static constexpr auto Fields() {
    using H = PullMessageResponseHeader;
    return std::tuple{
        HeaderField{"suggestWhichBrokerId", &H::suggest_which_broker_id, Presence::kOptional},
        HeaderField{"nextBeginOffset", &H::next_begin_offset, Presence::kRequired},
        HeaderField{"minOffset", &H::min_offset, Presence::kRequired},
        HeaderField{"maxOffset", &H::max_offset, Presence::kRequired}};
  }

  bool operator==(const PullMessageResponseHeader&) const = default;
};

}  // namespace holdfast::protocol
