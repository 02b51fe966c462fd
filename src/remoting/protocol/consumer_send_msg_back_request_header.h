// RocketMQ's ConsumerSendMsgBackRequestHeader, CONSUMER_SEND_MSG_BACK (36): a consumer hands a
// message it failed to consume back to the broker for a later retry. Written by our consumers.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct ConsumerSendMsgBackRequestHeader {
  int64_t offset = 0;  // the message's commit-log offset
  std::string group;
  int32_t delay_level = 0;
  std::string origin_msg_id;
  std::string origin_topic;
  bool unit_mode = false;
  std::optional<int32_t> max_reconsume_times;

  static constexpr auto Fields() {
    using H = ConsumerSendMsgBackRequestHeader;
    return std::tuple{
        HeaderField{"offset", &H::offset, Presence::kRequired},
        HeaderField{"group", &H::group, Presence::kRequired},
        HeaderField{"delayLevel", &H::delay_level, Presence::kRequired},
        HeaderField{"originMsgId", &H::origin_msg_id, Presence::kOptional},
        HeaderField{"originTopic", &H::origin_topic, Presence::kOptional},
        HeaderField{"unitMode", &H::unit_mode, Presence::kOptional},
        HeaderField{"maxReconsumeTimes", &H::max_reconsume_times, Presence::kOptional}};
  }

  bool operator==(const ConsumerSendMsgBackRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
