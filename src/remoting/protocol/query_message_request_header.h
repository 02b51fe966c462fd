// RocketMQ's QueryMessageRequestHeader, QUERY_MESSAGE (12): messages by key (or, with
// _UNIQUE_KEY_QUERY, by UNIQ_KEY) from the broker's index; answered with QueryMessageResponseHeader
// and the stored records as the body. Written by our admin tools (queryMsgByKey / queryMsgById),
// read by our broker.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct QueryMessageRequestHeader {
  std::string topic;
  std::string key;
  int32_t max_num = 0;
  int64_t begin_timestamp = 0;
  int64_t end_timestamp = 0;
  bool unique_key_query =
      false;  // not in Java's class: an extFields flag the 4.x client sets beside it

  static constexpr auto Fields() {
    using H = QueryMessageRequestHeader;
    return std::tuple{HeaderField{"topic", &H::topic, Presence::kRequired},
                      HeaderField{"key", &H::key, Presence::kRequired},
                      HeaderField{"maxNum", &H::max_num, Presence::kRequired},
                      HeaderField{"beginTimestamp", &H::begin_timestamp, Presence::kRequired},
                      HeaderField{"endTimestamp", &H::end_timestamp, Presence::kRequired},
                      HeaderField{"_UNIQUE_KEY_QUERY", &H::unique_key_query, Presence::kOptional}};
  }

  bool operator==(const QueryMessageRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
