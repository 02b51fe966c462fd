// RocketMQ's ViewMessageRequestHeader, VIEW_MESSAGE_BY_ID (33): one stored record by its commit-log
// offset (the offsetMsgId's). Written by our admin tools (queryMsgById), read by our broker.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct ViewMessageRequestHeader {
  int64_t offset = 0;

  static constexpr auto Fields() {
    using H = ViewMessageRequestHeader;
    return std::tuple{HeaderField{"offset", &H::offset, Presence::kRequired}};
  }

  bool operator==(const ViewMessageRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
