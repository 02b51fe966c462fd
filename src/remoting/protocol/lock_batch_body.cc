#include "remoting/protocol/lock_batch_body.h"

#include "remoting/protocol/json_fields.h"
#include "remoting/protocol/message_queue.h"

namespace holdfast::protocol {

using nlohmann::json;

namespace {

json EncodeSet(const std::set<MessageQueue>& mqs) {
  json arr = json::array();
  for (const MessageQueue& mq : mqs) arr.push_back(MessageQueueToJson(mq));
  return arr;
}

Status DecodeSet(const JsonFields& fields, std::string_view key, std::set<MessageQueue>* out) {
  const json* set = fields.Find(key);
  if (set == nullptr) return Status::Ok();
  if (!set->is_array()) return fields.Error(key, "must be an array");
  for (size_t i = 0; i < set->size(); ++i) {
    Result<MessageQueue> mq = MessageQueueFromJson(
        (*set)[i], fields.where() + "." + std::string(key) + "[" + std::to_string(i) + "]");
    if (!mq.ok()) return mq.status();
    out->insert(std::move(mq).value());
  }
  return Status::Ok();
}

}  // namespace

std::string EncodeLockBatchRequestBody(const LockBatchRequestBody& body) {
  return DumpJson(json{{"clientId", body.client_id},
                       {"consumerGroup", body.consumer_group},
                       {"mqSet", EncodeSet(body.mq_set)},
                       {"onlyThisBroker", body.only_this_broker}});
}

Result<LockBatchRequestBody> DecodeLockBatchRequestBody(std::string_view body) {
  Result<json> j = ParseJsonObject(body, "LockBatchRequestBody");
  if (!j.ok()) return j.status();
  Result<JsonFields> fields = JsonFields::Of(*j, "LockBatchRequestBody");
  if (!fields.ok()) return fields.status();
  LockBatchRequestBody b;
  HOLDFAST_RETURN_IF_ERROR(fields->ReadRequired("consumerGroup", &b.consumer_group));
  HOLDFAST_RETURN_IF_ERROR(fields->ReadRequired("clientId", &b.client_id));
  HOLDFAST_RETURN_IF_ERROR(DecodeSet(*fields, "mqSet", &b.mq_set));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("onlyThisBroker", &b.only_this_broker));
  return b;
}

std::string EncodeLockBatchResponseBody(const LockBatchResponseBody& body) {
  return DumpJson(json{{"lockOKMQSet", EncodeSet(body.lock_ok_mq_set)}});
}

Result<LockBatchResponseBody> DecodeLockBatchResponseBody(std::string_view body) {
  Result<json> j = ParseJsonObject(body, "LockBatchResponseBody");
  if (!j.ok()) return j.status();
  Result<JsonFields> fields = JsonFields::Of(*j, "LockBatchResponseBody");
  if (!fields.ok()) return fields.status();
  LockBatchResponseBody b;
  HOLDFAST_RETURN_IF_ERROR(DecodeSet(*fields, "lockOKMQSet", &b.lock_ok_mq_set));
  return b;
}

}  // namespace holdfast::protocol
