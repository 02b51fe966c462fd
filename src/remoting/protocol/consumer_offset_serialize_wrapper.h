// RocketMQ's ConsumerOffsetSerializeWrapper: every committed consume offset of a broker,
// "topic@group" -> {queueId -> offset}. The broker's consumerOffset.json, and the body of
// GET_ALL_CONSUMER_OFFSET a slave will fetch from its master.
//
// Written as fastjson writes it (queue ids are bare integer keys, which is not JSON):
//   {
//   	"offsetTable":{
//   		"TopicA@GroupA":{0:123,1:456},
//   		"TopicB@GroupA":{0:7}
//   	}
//   }
// Read in that form and in standard JSON with quoted ids; other top-level fields (5.x adds
// "dataVersion") are ignored.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace holdfast::protocol {

struct ConsumerOffsetSerializeWrapper {
  // "topic@group" -> queue id -> offset, sorted by key then queue id.
  std::map<std::string, std::map<int32_t, int64_t>> offset_table;

  bool operator==(const ConsumerOffsetSerializeWrapper&) const = default;
};

std::string EncodeConsumerOffsetSerializeWrapper(const ConsumerOffsetSerializeWrapper& wrapper);
// Corruption naming the entry on anything else (a non-integer queue id or offset); a missing
// offsetTable is fine: empty.
Result<ConsumerOffsetSerializeWrapper> DecodeConsumerOffsetSerializeWrapper(std::string_view text);

}  // namespace holdfast::protocol
