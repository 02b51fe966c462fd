#include "remoting/protocol/message_queue.h"

#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

nlohmann::json MessageQueueToJson(const MessageQueue& mq) {
  return {{"brokerName", mq.broker_name}, {"queueId", mq.queue_id}, {"topic", mq.topic}};
}

Result<MessageQueue> MessageQueueFromJson(const nlohmann::json& j, const std::string& where) {
  Result<JsonFields> fields = JsonFields::Of(j, where);
  if (!fields.ok()) return fields.status();
  MessageQueue mq;
  HOLDFAST_RETURN_IF_ERROR(fields->ReadRequired("topic", &mq.topic));
  HOLDFAST_RETURN_IF_ERROR(fields->ReadRequired("brokerName", &mq.broker_name));
  HOLDFAST_RETURN_IF_ERROR(fields->ReadRequired("queueId", &mq.queue_id));
  return mq;
}

std::string EncodeMessageQueueMap(const std::map<MessageQueue, nlohmann::json>& entries) {
  std::string out = "{";
  for (const auto& [mq, value] : entries) {
    if (out.size() > 1) out += ',';
    out += DumpJson(MessageQueueToJson(mq));
    out += ':';
    out += DumpJson(value);
  }
  out += '}';
  return out;
}

Result<std::map<MessageQueue, nlohmann::json>> DecodeMessageQueueMap(const nlohmann::json& object,
                                                                     const std::string& where) {
  if (!object.is_object()) return Status::Corruption(where + " is not an object");
  std::map<MessageQueue, nlohmann::json> out;
  for (const auto& [key, value] : object.items()) {
    nlohmann::json k = nlohmann::json::parse(key, nullptr, /*allow_exceptions=*/false);
    Result<MessageQueue> mq = MessageQueueFromJson(k, where + " key");
    if (!mq.ok()) {
      return Status::Corruption(where + " key is not a MessageQueue: " + key.substr(0, 200));
    }
    out[std::move(mq).value()] = value;
  }
  return out;
}

}  // namespace holdfast::protocol
