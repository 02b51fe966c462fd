#include "remoting/protocol/queue_offset_table.h"

#include "remoting/protocol/fastjson_keys.h"
#include "remoting/protocol/message_queue.h"

namespace holdfast::protocol {

std::string EncodeQueueOffsetTable(const std::map<MessageQueue, nlohmann::json>& entries) {
  return "{\"offsetTable\":" + EncodeMessageQueueMap(entries) + "}";
}

Status DecodeQueueOffsetTable(
    std::string_view body, const std::string& type,
    const std::function<Status(const MessageQueue&, const JsonFields&)>& read_entry) {
  Result<std::string> quoted = QuoteNonStringKeys(body);
  if (!quoted.ok()) return Status::Corruption(type + ": " + quoted.status().message());
  Result<nlohmann::json> j = ParseJsonObject(*quoted, type);
  if (!j.ok()) return j.status();
  Result<JsonFields> fields = JsonFields::Of(*j, type);
  if (!fields.ok()) return fields.status();
  const nlohmann::json* offsets = fields->Find("offsetTable");
  if (offsets == nullptr) return fields->Error("offsetTable", "is missing");
  Result<std::map<MessageQueue, nlohmann::json>> entries =
      DecodeMessageQueueMap(*offsets, type + ".offsetTable");
  if (!entries.ok()) return entries.status();
  for (const auto& [mq, value] : *entries) {
    Result<JsonFields> entry =
        JsonFields::Of(value, type + ".offsetTable[" + mq.topic + ":" + mq.broker_name + ":" +
                                  std::to_string(mq.queue_id) + "]");
    if (!entry.ok()) return entry.status();
    HOLDFAST_RETURN_IF_ERROR(read_entry(mq, *entry));
  }
  return Status::Ok();
}

}  // namespace holdfast::protocol
