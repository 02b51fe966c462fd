// RocketMQ's SendMessageResponseHeader, the answer to a send (docs/protocol.md §4.1): where the
// broker put the message. Written by our broker, read by our producer.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct SendMessageResponseHeader {
  std::string msg_id;  // offsetMsgId; comma-joined for a batch
  int32_t queue_id = 0;
  int64_t queue_offset = 0;
  std::string transaction_id;
  std::string msg_region;
  std::string trace_on;  // "true" / "false"

  static constexpr auto Fields() {
    using H = SendMessageResponseHeader;
    return std::tuple{HeaderField{"msgId", &H::msg_id, Presence::kRequired},
                      HeaderField{"queueId", &H::queue_id, Presence::kRequired},
                      HeaderField{"queueOffset", &H::queue_offset, Presence::kRequired},
                      HeaderField{"transactionId", &H::transaction_id, Presence::kOptional},
                      HeaderField{"MSG_REGION", &H::msg_region, Presence::kOptional},
                      HeaderField{"TRACE_ON", &H::trace_on, Presence::kOptional}};
  }

  bool operator==(const SendMessageResponseHeader&) const = default;
};

}  // namespace holdfast::protocol
