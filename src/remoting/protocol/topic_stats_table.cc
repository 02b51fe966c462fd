#include "remoting/protocol/topic_stats_table.h"

#include "remoting/protocol/queue_offset_table.h"

namespace holdfast::protocol {

std::string EncodeTopicStatsTable(const TopicStatsTable& table) {
  std::map<MessageQueue, nlohmann::json> entries;
  for (const auto& [mq, offset] : table.offset_table) {
    entries[mq] = {{"lastUpdateTimestamp", offset.last_update_timestamp},
                   {"maxOffset", offset.max_offset},
                   {"minOffset", offset.min_offset}};
  }
  return EncodeQueueOffsetTable(entries);
}

Result<TopicStatsTable> DecodeTopicStatsTable(std::string_view body) {
  TopicStatsTable table;
  HOLDFAST_RETURN_IF_ERROR(DecodeQueueOffsetTable(
      body, "TopicStatsTable", [&](const MessageQueue& mq, const JsonFields& f) {
        TopicOffset& offset = table.offset_table[mq];
        HOLDFAST_RETURN_IF_ERROR(f.Read("minOffset", &offset.min_offset));
        HOLDFAST_RETURN_IF_ERROR(f.Read("maxOffset", &offset.max_offset));
        return f.Read("lastUpdateTimestamp", &offset.last_update_timestamp);
      }));
  return table;
}

}  // namespace holdfast::protocol
