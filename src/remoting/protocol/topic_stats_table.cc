#include "remoting/protocol/topic_stats_table.h"

#include "remoting/protocol/fastjson_keys.h"
#include "remoting/protocol/json_fields.h"
#include "remoting/protocol/message_queue.h"

namespace holdfast::protocol {

std::string EncodeTopicStatsTable(const TopicStatsTable& table) {
  std::map<MessageQueue, nlohmann::json> entries;
  for (const auto& [mq, offset] : table.offset_table) {
    entries[mq] = {{"lastUpdateTimestamp", offset.last_update_timestamp},
                   {"maxOffset", offset.max_offset},
                   {"minOffset", offset.min_offset}};
  }
  return "{\"offsetTable\":" + EncodeMessageQueueMap(entries) + "}";
}

Result<TopicStatsTable> DecodeTopicStatsTable(std::string_view body) {
  Result<std::string> quoted = QuoteNonStringKeys(body);
  if (!quoted.ok()) return Status::Corruption("TopicStatsTable: " + quoted.status().message());
  Result<nlohmann::json> j = ParseJsonObject(*quoted, "TopicStatsTable");
  if (!j.ok()) return j.status();
  Result<JsonFields> fields = JsonFields::Of(*j, "TopicStatsTable");
  if (!fields.ok()) return fields.status();
  const nlohmann::json* offsets = fields->Find("offsetTable");
  if (offsets == nullptr) return fields->Error("offsetTable", "is missing");
  Result<std::map<MessageQueue, nlohmann::json>> entries =
      DecodeMessageQueueMap(*offsets, "TopicStatsTable.offsetTable");
  if (!entries.ok()) return entries.status();
  TopicStatsTable table;
  for (const auto& [mq, value] : *entries) {
    Result<JsonFields> f =
        JsonFields::Of(value, "TopicStatsTable.offsetTable[" + mq.topic + ":" + mq.broker_name +
                                  ":" + std::to_string(mq.queue_id) + "]");
    if (!f.ok()) return f.status();
    TopicOffset& offset = table.offset_table[mq];
    HOLDFAST_RETURN_IF_ERROR(f->Read("minOffset", &offset.min_offset));
    HOLDFAST_RETURN_IF_ERROR(f->Read("maxOffset", &offset.max_offset));
    HOLDFAST_RETURN_IF_ERROR(f->Read("lastUpdateTimestamp", &offset.last_update_timestamp));
  }
  return table;
}

}  // namespace holdfast::protocol
