// RocketMQ's SendMessageRequestHeader (docs/protocol.md §4.1): written by our producer, read by our
// broker and by it from every RocketMQ client. SEND_MESSAGE (10) and SEND_REPLY_MESSAGE (324) carry
// it under its long names; SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320) and
// SEND_REPLY_MESSAGE_V2 (325) as SendMessageRequestHeaderV2, the same fields under the one-letter
// keys a..n. The request code picks the form, both ways.
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

struct SendMessageRequestHeader {
  std::string producer_group;                  // producerGroup / a
  std::string topic;                           // topic / b
  std::string default_topic;                   // defaultTopic / c: the create-topic key (TBW102)
  int32_t default_topic_queue_nums = 4;        // defaultTopicQueueNums / d
  int32_t queue_id = 0;                        // queueId / e
  int32_t sys_flag = 0;                        // sysFlag / f
  int64_t born_timestamp = 0;                  // bornTimestamp / g
  int32_t flag = 0;                            // flag / h
  std::string properties;                      // properties / i: the encoded property string
  int32_t reconsume_times = 0;                 // reconsumeTimes / j
  bool unit_mode = false;                      // unitMode / k
  std::optional<int32_t> max_reconsume_times;  // maxReconsumeTimes / l
  bool batch = false;                          // batch / m: the body is a batch (message_batch.h)
  std::string broker_name;                     // bname / n

  static constexpr auto Fields() {
    using H = SendMessageRequestHeader;
    constexpr Presence kReq = Presence::kRequired;
    return std::tuple{
        HeaderField{"producerGroup", &H::producer_group, kReq, "a"},
        HeaderField{"topic", &H::topic, kReq, "b"},
        HeaderField{"defaultTopic", &H::default_topic, kReq, "c"},
        HeaderField{"defaultTopicQueueNums", &H::default_topic_queue_nums, kReq, "d"},
        HeaderField{"queueId", &H::queue_id, kReq, "e"},
        HeaderField{"sysFlag", &H::sys_flag, kReq, "f"},
        HeaderField{"bornTimestamp", &H::born_timestamp, kReq, "g"},
        HeaderField{"flag", &H::flag, kReq, "h"},
        HeaderField{"properties", &H::properties, Presence::kOptional, "i"},
        HeaderField{"reconsumeTimes", &H::reconsume_times, Presence::kOptional, "j"},
        HeaderField{"unitMode", &H::unit_mode, Presence::kOptional, "k"},
        HeaderField{"maxReconsumeTimes", &H::max_reconsume_times, Presence::kOptional, "l"},
        HeaderField{"batch", &H::batch, Presence::kOptional, "m"},
        HeaderField{"bname", &H::broker_name, Presence::kOptional, "n"}};
  }

  bool operator==(const SendMessageRequestHeader&) const = default;
};

// True for the request codes whose header uses the V2 one-letter keys.
bool UsesSendHeaderV2(int32_t request_code);

// Writes `header` into `request`'s extFields in the form its code uses (set the code first).
void EncodeSendMessageRequestHeader(const SendMessageRequestHeader& header,
                                    remoting::RemotingCommand* request);
// InvalidArgument naming the field (by its wire key) when a required one is missing or a number
// does not parse.
Result<SendMessageRequestHeader> DecodeSendMessageRequestHeader(
    const remoting::RemotingCommand& request);

}  // namespace holdfast::protocol
