#include "tools/admin/fastjson_keys.h"

#include "remoting/protocol/fastjson_keys.h"

namespace holdfast::tools::admin {

using nlohmann::json;

Result<std::vector<MessageQueueEntry>> DecodeOffsetTable(std::string_view body) {
  Result<std::string> quoted = protocol::QuoteNonStringKeys(body);
  if (!quoted.ok()) return quoted.status();
  json j = json::parse(*quoted, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::Corruption("the body is not JSON");
  auto table = j.find("offsetTable");
  if (table == j.end() || !table->is_object()) {
    return Status::Corruption("the body has no offsetTable object");
  }
  std::vector<MessageQueueEntry> out;
  for (const auto& [key, value] : table->items()) {
    json k = json::parse(key, nullptr, /*allow_exceptions=*/false);
    if (k.is_discarded() || !k.is_object() || !k.contains("topic") || !k["topic"].is_string() ||
        !k.contains("brokerName") || !k["brokerName"].is_string() || !k.contains("queueId") ||
        !k["queueId"].is_number_integer()) {
      return Status::Corruption("offsetTable key is not a MessageQueue: " + key);
    }
    MessageQueueEntry entry;
    entry.mq.topic = k["topic"].get<std::string>();
    entry.mq.broker_name = k["brokerName"].get<std::string>();
    entry.mq.queue_id = k["queueId"].get<int32_t>();
    entry.value = value;
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace holdfast::tools::admin
