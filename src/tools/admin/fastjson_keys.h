// The offsetTable of TopicStatsTable and ConsumeStats (sheet 5.3): a Map<MessageQueue, V> that
// fastjson writes with each MessageQueue key as its JSON object written raw.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "holdfast/message.h"

namespace holdfast::tools::admin {

// One entry of a Map<MessageQueue, V> as fastjson writes it.
struct MessageQueueEntry {
  MessageQueue mq;
  nlohmann::json value;
};

// The entries of `body`'s `offsetTable` (TopicStatsTable, ConsumeStats), in no set order.
// Corruption naming what is wrong when the body is not such a table.
Result<std::vector<MessageQueueEntry>> DecodeOffsetTable(std::string_view body);

}  // namespace holdfast::tools::admin
