#include "remoting/protocol/consume_stats.h"

#include "remoting/protocol/fastjson_keys.h"
#include "remoting/protocol/json_fields.h"
#include "remoting/protocol/message_queue.h"

namespace holdfast::protocol {

std::string EncodeConsumeStats(const ConsumeStats& stats) {
  std::map<MessageQueue, nlohmann::json> entries;
  for (const auto& [mq, offset] : stats.offset_table) {
    entries[mq] = {{"brokerOffset", offset.broker_offset},
                   {"consumerOffset", offset.consumer_offset},
                   {"lastTimestamp", offset.last_timestamp}};
  }
  return "{\"offsetTable\":" + EncodeMessageQueueMap(entries) + "}";
}

Result<ConsumeStats> DecodeConsumeStats(std::string_view body) {
  Result<std::string> quoted = QuoteNonStringKeys(body);
  if (!quoted.ok()) return Status::Corruption("ConsumeStats: " + quoted.status().message());
  Result<nlohmann::json> j = ParseJsonObject(*quoted, "ConsumeStats");
  if (!j.ok()) return j.status();
  Result<JsonFields> fields = JsonFields::Of(*j, "ConsumeStats");
  if (!fields.ok()) return fields.status();
  const nlohmann::json* offsets = fields->Find("offsetTable");
  if (offsets == nullptr) return fields->Error("offsetTable", "is missing");
  Result<std::map<MessageQueue, nlohmann::json>> entries =
      DecodeMessageQueueMap(*offsets, "ConsumeStats.offsetTable");
  if (!entries.ok()) return entries.status();
  ConsumeStats stats;
  for (const auto& [mq, value] : *entries) {
    Result<JsonFields> f =
        JsonFields::Of(value, "ConsumeStats.offsetTable[" + mq.topic + ":" + mq.broker_name + ":" +
                                  std::to_string(mq.queue_id) + "]");
    if (!f.ok()) return f.status();
    OffsetWrapper& offset = stats.offset_table[mq];
    HOLDFAST_RETURN_IF_ERROR(f->Read("brokerOffset", &offset.broker_offset));
    HOLDFAST_RETURN_IF_ERROR(f->Read("consumerOffset", &offset.consumer_offset));
    HOLDFAST_RETURN_IF_ERROR(f->Read("lastTimestamp", &offset.last_timestamp));
  }
  return stats;
}

}  // namespace holdfast::protocol
