// Reading what one broker holds for a topic, for commands that look at stored messages rather
// than consume them (the dead-letter commands): each queue's offset range (GET_TOPIC_STATS_INFO)
// and its messages, pulled as mqadmin pulls them (group TOOLS_CONSUMER, which every broker
// creates at start, subscription "*", no offset committed, no long polling), so reading changes
// nothing on the broker.
//
// Pulls see what the broker has dispatched to its consume queues, which runs a few milliseconds
// behind the commit log (docs/protocol.md §7.2): a message stored that long ago may not be read.
//
// Functions of an AdminContext; same threading as it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/message.h"
#include "remoting/protocol/topic_stats_table.h"
#include "tools/admin/admin_context.h"

namespace holdfast::tools::admin {

// Each queue of `topic` at the broker at `addr` with its offset range; nullopt when the broker
// does not have the topic (TOPIC_NOT_EXIST).
Result<std::optional<protocol::TopicStatsTable>> FetchTopicStats(AdminContext& ctx,
                                                                 const std::string& addr,
                                                                 const std::string& topic);

// The number of messages `stats` holds: max - min offset summed over its queues.
int64_t MessageCount(const protocol::TopicStatsTable& stats);

// The messages of (topic, queue_id) at `addr` from offset `from` up to (not including) `to`, in
// queue order, bodies uncompressed. Offsets below the queue's min (cleaned up) are skipped.
Result<std::vector<MessageExt>> ReadQueue(AdminContext& ctx, const std::string& addr,
                                          const std::string& topic, int32_t queue_id, int64_t from,
                                          int64_t to);

// Every message of every queue in `stats` (FetchTopicStats's answer for `addr`), queue by queue.
Result<std::vector<MessageExt>> ReadTopic(AdminContext& ctx, const std::string& addr,
                                          const protocol::TopicStatsTable& stats);

}  // namespace holdfast::tools::admin
