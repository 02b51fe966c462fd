#include "broker/lock_batch_body.h"

#include <nlohmann/json.hpp>

namespace holdfast::broker {

using nlohmann::json;

namespace {

json EncodeSet(const std::set<MessageQueue>& mqs) {
  json arr = json::array();
  for (const MessageQueue& mq : mqs) arr.push_back(mq.ToJson());
  return arr;
}

Status DecodeSet(const json& j, const char* key, std::set<MessageQueue>* out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) return Status::InvalidArgument(std::string(key) + " must be an array");
  for (size_t i = 0; i < it->size(); ++i) {
    Result<MessageQueue> mq = MessageQueue::FromJson((*it)[i]);
    if (!mq.ok()) {
      return Status::InvalidArgument(std::string(key) + "[" + std::to_string(i) +
                                     "]: " + mq.status().message());
    }
    out->insert(std::move(mq).value());
  }
  return Status::Ok();
}

}  // namespace

Result<LockBatchRequestBody> DecodeLockBatchRequestBody(std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("LockBatchRequestBody: body is not a JSON object");
  }
  LockBatchRequestBody b;
  for (auto [key, out] :
       {std::pair{"consumerGroup", &b.consumer_group}, std::pair{"clientId", &b.client_id}}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) {
      return Status::InvalidArgument(std::string("LockBatchRequestBody: ") + key +
                                     " must be a string");
    }
    *out = it->get<std::string>();
  }
  if (Status s = DecodeSet(j, "mqSet", &b.mq_set); !s.ok()) {
    return Status::InvalidArgument("LockBatchRequestBody: " + s.message());
  }
  if (auto it = j.find("onlyThisBroker"); it != j.end() && it->is_boolean()) {
    b.only_this_broker = it->get<bool>();
  }
  return b;
}

std::string EncodeLockBatchRequestBody(const LockBatchRequestBody& body) {
  return json{{"clientId", body.client_id},
              {"consumerGroup", body.consumer_group},
              {"mqSet", EncodeSet(body.mq_set)},
              {"onlyThisBroker", body.only_this_broker}}
      .dump();
}

std::string EncodeLockBatchResponseBody(const std::set<MessageQueue>& lock_ok_mq_set) {
  return json{{"lockOKMQSet", EncodeSet(lock_ok_mq_set)}}.dump();
}

Result<std::set<MessageQueue>> DecodeLockBatchResponseBody(std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("LockBatchResponseBody: body is not a JSON object");
  }
  std::set<MessageQueue> out;
  if (Status s = DecodeSet(j, "lockOKMQSet", &out); !s.ok()) return s;
  return out;
}

}  // namespace holdfast::broker
