#include "remoting/protocol/consume_stats.h"

#include "remoting/protocol/queue_offset_table.h"

namespace holdfast::protocol {

std::string EncodeConsumeStats(const ConsumeStats& stats) {
  std::map<MessageQueue, nlohmann::json> entries;
  for (const auto& [mq, offset] : stats.offset_table) {
    entries[mq] = {{"brokerOffset", offset.broker_offset},
                   {"consumerOffset", offset.consumer_offset},
                   {"lastTimestamp", offset.last_timestamp}};
  }
  return EncodeQueueOffsetTable(entries);
}

Result<ConsumeStats> DecodeConsumeStats(std::string_view body) {
  ConsumeStats stats;
  HOLDFAST_RETURN_IF_ERROR(DecodeQueueOffsetTable(
      body, "ConsumeStats", [&](const MessageQueue& mq, const JsonFields& f) {
        OffsetWrapper& offset = stats.offset_table[mq];
        HOLDFAST_RETURN_IF_ERROR(f.Read("brokerOffset", &offset.broker_offset));
        HOLDFAST_RETURN_IF_ERROR(f.Read("consumerOffset", &offset.consumer_offset));
        return f.Read("lastTimestamp", &offset.last_timestamp);
      }));
  return stats;
}

}  // namespace holdfast::protocol
