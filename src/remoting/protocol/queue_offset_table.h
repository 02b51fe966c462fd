// The body shape TopicStatsTable and ConsumeStats share: {"offsetTable":{<queue>:{..},..}}, one
// object of offsets per queue, each key a MessageQueue written raw as fastjson does
// (message_queue.h). Each of the two types says only which fields an entry has.
//
// Pure functions; thread-safe.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "holdfast/message.h"
#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

// The body holding `entries` (each an object of one queue's offsets) in fastjson's form.
std::string EncodeQueueOffsetTable(const std::map<MessageQueue, nlohmann::json>& entries);

// Calls `read_entry` with each queue of the body's offsetTable and the fields of its entry, and
// returns its first error. Corruption, naming `type`, when the body is not such an object or a key
// is not a MessageQueue; `read_entry`'s field errors name the queue.
Status DecodeQueueOffsetTable(
    std::string_view body, const std::string& type,
    const std::function<Status(const MessageQueue&, const JsonFields&)>& read_entry);

}  // namespace holdfast::protocol
