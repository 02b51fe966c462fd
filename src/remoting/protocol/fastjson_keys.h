// fastjson's non-standard map keys, made readable by a standard JSON parser.
//
// RocketMQ's brokers and name servers write a Map with non-string keys the way fastjson does: an
// integer key bare ({0:"127.0.0.1:10911"}: BrokerData.brokerAddrs, the queue ids of
// consumerOffset.json) and a MessageQueue key as its JSON object written raw
// ({{"brokerName":"b","queueId":0,"topic":"T"}:{...}}: TopicStatsTable, ConsumeStats). Neither is
// JSON. QuoteNonStringKeys turns every such key into a JSON string holding the key's text, so the
// rest parses as ordinary JSON. Every decoder of a body a Java peer may write in that form goes
// through it; there is no other copy.
//
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace holdfast::protocol {

// `text` with each object key that is not a string (a bare number, an object, an array) replaced
// by a JSON string of its exact text. Strings, values and standard JSON pass through unchanged.
// Corruption when a key's brackets or a string do not close.
Result<std::string> QuoteNonStringKeys(std::string_view text);

}  // namespace holdfast::protocol
