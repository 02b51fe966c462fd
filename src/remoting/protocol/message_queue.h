// RocketMQ's MessageQueue (topic, brokerName, queueId) inside JSON bodies (docs/protocol.md §5.3):
// {"brokerName":S,"queueId":I,"topic":S}, and as the key of a Map<MessageQueue, V>, which fastjson
// writes with each key's JSON object raw: {{"brokerName":..,"queueId":0,"topic":..}:{..}} (not
// JSON; TopicStatsTable and ConsumeStats). The value type is the public `holdfast::MessageQueue`
// (include/holdfast/message.h), one type for the API and the wire, ordered by topic, broker name,
// then queue id as the Java class compares.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "holdfast/message.h"

namespace holdfast::protocol {

nlohmann::json MessageQueueToJson(const MessageQueue& mq);
// Corruption "<where>.<field> ..." when a field is missing or has the wrong type.
Result<MessageQueue> MessageQueueFromJson(const nlohmann::json& j, const std::string& where);

// `{key:value,..}` in fastjson's form, one entry per queue.
std::string EncodeMessageQueueMap(const std::map<MessageQueue, nlohmann::json>& entries);
// The entries of such a map, from the object it became after QuoteNonStringKeys (each key a
// string holding the queue's JSON). Corruption naming `where` when a key is not a MessageQueue.
Result<std::map<MessageQueue, nlohmann::json>> DecodeMessageQueueMap(const nlohmann::json& object,
                                                                     const std::string& where);

}  // namespace holdfast::protocol
