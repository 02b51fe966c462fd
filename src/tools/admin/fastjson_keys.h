// fastjson's non-standard map keys, made readable by nlohmann::json.
//
// RocketMQ's brokers and name servers write a Map with non-string keys the way fastjson does:
// an integer key bare ({0:"127.0.0.1:10911"}, BrokerData.brokerAddrs) and a MessageQueue key as
// its JSON object written raw ({{"brokerName":"b","queueId":0,"topic":"T"}:{...}},
// TopicStatsTable and ConsumeStats, docs/protocol.md §5.3). Neither is JSON. QuoteNonStringKeys
// turns every such key into a JSON string holding the key's text, so the rest parses as ordinary
// JSON.
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

// `text` with each object key that is not a string (a bare number, an object, an array) replaced
// by a JSON string of its exact text. Strings, values and standard JSON pass through unchanged.
// Corruption when a key's brackets or a string do not close.
Result<std::string> QuoteNonStringKeys(std::string_view text);

// One entry of a Map<MessageQueue, V> as fastjson writes it.
struct MessageQueueEntry {
  MessageQueue mq;
  nlohmann::json value;
};

// The entries of `body`'s `offsetTable` (TopicStatsTable, ConsumeStats), in no set order.
// Corruption naming what is wrong when the body is not such a table.
Result<std::vector<MessageQueueEntry>> DecodeOffsetTable(std::string_view body);

}  // namespace holdfast::tools::admin
