// RocketMQ's PullMessageRequestHeader, PULL_MESSAGE (11) and LITE_PULL_MESSAGE (361)
// (docs/protocol.md §4.2): written by our consumers, read by our broker and by it from every
// RocketMQ client.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "common/status.h"
#include "remoting/protocol/custom_header.h"
#include "remoting/remoting_command.h"

namespace holdfast::protocol {

struct PullMessageRequestHeader {
  std::string consumer_group;            // consumerGroup
  std::string topic;                     // topic
  int32_t queue_id = 0;                  // queueId
  int64_t queue_offset = 0;              // queueOffset
  int32_t max_msg_nums = 32;             // maxMsgNums
  int32_t sys_flag = 0;                  // sysFlag: pull_sys_flag.h
  int64_t commit_offset = 0;             // commitOffset
  int64_t suspend_timeout_millis = 0;    // suspendTimeoutMillis
  std::string subscription;              // subscription: "*" or "TagA || TagB" (optional)
  int64_t sub_version = 0;               // subVersion
  std::string expression_type;           // expressionType (optional; absent means "TAG")
  std::optional<int32_t> max_msg_bytes;  // maxMsgBytes (5.x, optional)
  std::string broker_name;               // bname (5.x): the broker the queue belongs to

  static constexpr auto Fields() {
    using H = PullMessageRequestHeader;
    constexpr Presence kReq = Presence::kRequired;
    constexpr Presence kOpt = Presence::kOptional;
    return std::tuple{HeaderField{"consumerGroup", &H::consumer_group, kReq},
                      HeaderField{"topic", &H::topic, kReq},
                      HeaderField{"queueId", &H::queue_id, kReq},
                      HeaderField{"queueOffset", &H::queue_offset, kReq},
                      HeaderField{"maxMsgNums", &H::max_msg_nums, kReq},
                      HeaderField{"sysFlag", &H::sys_flag, kReq},
                      HeaderField{"commitOffset", &H::commit_offset, kReq},
                      HeaderField{"suspendTimeoutMillis", &H::suspend_timeout_millis, kReq},
                      HeaderField{"subscription", &H::subscription, kOpt},
                      HeaderField{"subVersion", &H::sub_version, kReq},
                      HeaderField{"expressionType", &H::expression_type, kOpt},
                      HeaderField{"maxMsgBytes", &H::max_msg_bytes, kOpt},
                      HeaderField{"bname", &H::broker_name, kOpt}};
  }

  bool operator==(const PullMessageRequestHeader&) const = default;
};

inline void EncodePullMessageRequestHeader(const PullMessageRequestHeader& header,
                                           remoting::RemotingCommand* request) {
  EncodeCustomHeader(header, request);
}
// As DecodeCustomHeader; a maxMsgBytes that is not positive reads as absent (no byte cap asked).
Result<PullMessageRequestHeader> DecodePullMessageRequestHeader(
    const remoting::RemotingCommand& request);

}  // namespace holdfast::protocol
