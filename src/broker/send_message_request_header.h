// The send request header (docs/protocol.md §4.1): SendMessageRequestHeader under its long names
// for SEND_MESSAGE (10) and SEND_REPLY_MESSAGE (324), SendMessageRequestHeaderV2's one-letter keys
// a..n for SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320) and SEND_REPLY_MESSAGE_V2 (325); and the
// batch body (docs/protocol.md §6.4). extFields values arrive as text (numbers and booleans
// normalised by the remoting layer); booleans follow Java's Boolean.parseBoolean: only "true", any
// case, is true.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "remoting/remoting_command.h"

namespace holdfast::broker {

struct SendMessageRequestHeader {
  std::string producer_group;            // producerGroup / a
  std::string topic;                     // topic / b
  std::string default_topic;             // defaultTopic / c
  int32_t default_topic_queue_nums = 0;  // defaultTopicQueueNums / d
  int32_t queue_id = 0;                  // queueId / e
  int32_t sys_flag = 0;                  // sysFlag / f
  int64_t born_timestamp = 0;            // bornTimestamp / g
  int32_t flag = 0;                      // flag / h
  std::string properties;                // properties / i (encoded property string)
  int32_t reconsume_times = 0;           // reconsumeTimes / j
  bool unit_mode = false;                // unitMode / k
  int32_t max_reconsume_times = 0;       // maxReconsumeTimes / l (0: absent)
  bool batch = false;                    // batch / m
  std::string broker_name;               // bname / n
};

// True for the codes whose header uses the V2 one-letter keys.
bool UsesSendHeaderV2(int32_t request_code);

// Decodes the header of a send request. InvalidArgument naming the field (by its wire key) when a
// required one is missing or a number does not parse.
Result<SendMessageRequestHeader> DecodeSendMessageRequestHeader(
    const remoting::RemotingCommand& request);

// One message of a batch body.
struct BatchMessage {
  int32_t flag = 0;
  std::string body;
  std::string properties;
};

// Splits a batch body into its records. InvalidArgument naming the record and field when a length
// is negative or runs past the body or the record's TOTALSIZE.
Result<std::vector<BatchMessage>> DecodeBatchBody(std::string_view body);

// Encodes messages as a batch body, as the Java client's MessageDecoder.encodeMessages does (for
// tests and clients).
std::string EncodeBatchBody(const std::vector<BatchMessage>& messages);

}  // namespace holdfast::broker
