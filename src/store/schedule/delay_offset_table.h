// config/delayOffset.json: how far the schedule service has delivered each delay level's queue
// (RocketMQ's DelayOffsetSerializeWrapper). Written as fastjson writes it, with the levels as bare
// integer keys (not JSON, but what RocketMQ's tools and brokers read):
//   {
//   	"offsetTable":{1:12,2:0,3:7}
//   }
// Read in that form and with quoted keys; other top-level fields (5.x adds "dataVersion") are
// ignored.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace holdfast::store::schedule {

// Level -> the queue offset (of SCHEDULE_TOPIC_XXXX queue level - 1) of the next message to
// deliver.
using DelayOffsetTable = std::map<int32_t, int64_t>;

std::string EncodeDelayOffsetTable(const DelayOffsetTable& table);
// Corruption naming what is wrong (no offsetTable, a key that is not a level, an offset that is
// not a number, an unclosed object); `source` names the file in the message.
Result<DelayOffsetTable> DecodeDelayOffsetTable(std::string_view text, std::string_view source);

}  // namespace holdfast::store::schedule
