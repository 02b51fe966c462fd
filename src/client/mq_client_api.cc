#include "client/mq_client_api.h"

#include <charconv>
#include <memory>
#include <utility>

#include "remoting/protocol/get_consumer_list_by_group_response_body.h"
#include "remoting/protocol/lock_batch_body.h"
#include "remoting/protocol/mq_version.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::client {

using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;

namespace {

std::vector<std::string> SplitNamesrvAddr(const std::string& list) {
  std::vector<std::string> out;
  std::string_view rest = list;
  while (!rest.empty()) {
    size_t semi = rest.find(';');
    std::string_view one = rest.substr(0, semi);
    while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
    while (!one.empty() && one.back() == ' ') one.remove_suffix(1);
    if (!one.empty()) out.emplace_back(one);
    if (semi == std::string_view::npos) break;
    rest.remove_prefix(semi + 1);
  }
  return out;
}

RemotingCommand NewRequest(int32_t code) {
  RemotingCommand request = RemotingCommand::CreateRequest(code);
  request.language = remoting::LanguageCode::kCpp;
  request.version = protocol::kCurrentVersion;
  return request;
}

std::string BoolText(bool b) { return b ? "true" : "false"; }

// A required numeric response header field; Corruption naming it when absent or not a number.
template <typename T>
Result<T> ReadNumber(const RemotingCommand& response, std::string_view key) {
  const std::string* v = response.FindExtField(key);
  T out{};
  if (v == nullptr) {
    return Status::Corruption("response " + std::string(remoting::ResponseCodeName(response.code)) +
                              " has no " + std::string(key));
  }
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size()) {
    return Status::Corruption("response field " + std::string(key) + " is not a number: " + *v);
  }
  return out;
}

Result<PullResult> ProcessPullResponse(const PullMessageRequestHeader& header,
                                       const RemotingCommand& response) {
  PullResult result;
  switch (response.code) {
    case ResponseCode::SUCCESS:
      result.status = PullStatus::kFound;
      break;
    case ResponseCode::PULL_NOT_FOUND:
      result.status = PullStatus::kNoNewMsg;
      break;
    case ResponseCode::PULL_RETRY_IMMEDIATELY:
      result.status = PullStatus::kNoMatchedMsg;
      break;
    case ResponseCode::PULL_OFFSET_MOVED:
      result.status = PullStatus::kOffsetIllegal;
      break;
    default:
      return ResponseError("pull " + header.topic + " queue " + std::to_string(header.queueId),
                           response);
  }
  Result<int64_t> next = ReadNumber<int64_t>(response, "nextBeginOffset");
  Result<int64_t> min = ReadNumber<int64_t>(response, "minOffset");
  Result<int64_t> max = ReadNumber<int64_t>(response, "maxOffset");
  if (!next.ok()) return next.status();
  if (!min.ok()) return min.status();
  if (!max.ok()) return max.status();
  result.next_begin_offset = *next;
  result.min_offset = *min;
  result.max_offset = *max;
  if (Result<int64_t> suggest = ReadNumber<int64_t>(response, "suggestWhichBrokerId");
      suggest.ok()) {
    result.suggest_which_broker_id = *suggest;
  }
  if (result.status == PullStatus::kFound) {
    Result<std::vector<MQMessageExt>> msgs = DecodeMessages(response.body, header.bname);
    if (!msgs.ok()) return msgs.status();
    result.msgs = std::move(msgs).value();
    for (MQMessageExt& m : result.msgs) {
      m.properties["MIN_OFFSET"] = std::to_string(result.min_offset);
      m.properties["MAX_OFFSET"] = std::to_string(result.max_offset);
    }
  }
  return result;
}

}  // namespace

RemotingCommand BuildSendRequest(const SendMessageRequestHeader& h, std::string body) {
  RemotingCommand request =
      NewRequest(h.batch ? RequestCode::SEND_BATCH_MESSAGE : RequestCode::SEND_MESSAGE_V2);
  request.SetExtField("a", h.producer_group);
  request.SetExtField("b", h.topic);
  request.SetExtField("c", h.default_topic);
  request.SetExtField("d", std::to_string(h.default_topic_queue_nums));
  request.SetExtField("e", std::to_string(h.queue_id));
  request.SetExtField("f", std::to_string(h.sys_flag));
  request.SetExtField("g", std::to_string(h.born_timestamp));
  request.SetExtField("h", std::to_string(h.flag));
  request.SetExtField("i", h.properties);
  request.SetExtField("j", std::to_string(h.reconsume_times));
  request.SetExtField("k", BoolText(h.unit_mode));
  if (h.max_reconsume_times) request.SetExtField("l", std::to_string(*h.max_reconsume_times));
  request.SetExtField("m", BoolText(h.batch));
  request.body = std::move(body);
  return request;
}

Status ResponseError(const std::string& what, const RemotingCommand& response) {
  std::string text = what + ": answered " + std::string(remoting::ResponseCodeName(response.code)) +
                     "(" + std::to_string(response.code) + ")";
  if (response.remark && !response.remark->empty()) text += ": " + *response.remark;
  switch (response.code) {
    case ResponseCode::SYSTEM_ERROR:
    case ResponseCode::SYSTEM_BUSY:
    case ResponseCode::SERVICE_NOT_AVAILABLE:
    case ResponseCode::NO_PERMISSION:
    case ResponseCode::TOPIC_NOT_EXIST:
    case ResponseCode::NO_BUYER_ID:
    case ResponseCode::NOT_IN_CURRENT_UNIT:
    case ResponseCode::GO_AWAY:
      return Status::Unavailable(std::move(text));
    default:
      return Status::InvalidArgument(std::move(text));
  }
}

bool IsRetryableSendError(const Status& status) {
  return status.code() == Status::Code::kUnavailable || status.code() == Status::Code::kTimeout;
}

Result<SendResult> ProcessSendResponse(const std::string& broker_name, const std::string& topic,
                                       const RemotingCommand& response, const std::string& msg_id) {
  SendResult result;
  switch (response.code) {
    case ResponseCode::SUCCESS:
      result.send_status = SendStatus::kSendOk;
      break;
    case ResponseCode::FLUSH_DISK_TIMEOUT:
      result.send_status = SendStatus::kFlushDiskTimeout;
      break;
    case ResponseCode::FLUSH_SLAVE_TIMEOUT:
      result.send_status = SendStatus::kFlushSlaveTimeout;
      break;
    case ResponseCode::SLAVE_NOT_AVAILABLE:
      result.send_status = SendStatus::kSlaveNotAvailable;
      break;
    default:
      return ResponseError("send to " + topic + " on broker " + broker_name, response);
  }
  Result<int32_t> queue_id = ReadNumber<int32_t>(response, "queueId");
  Result<int64_t> queue_offset = ReadNumber<int64_t>(response, "queueOffset");
  if (!queue_id.ok()) return queue_id.status();
  if (!queue_offset.ok()) return queue_offset.status();
  const std::string* offset_msg_id = response.FindExtField("msgId");
  if (offset_msg_id == nullptr) return Status::Corruption("send response has no msgId");
  result.msg_id = msg_id;
  result.offset_msg_id = *offset_msg_id;
  result.message_queue = MessageQueue{topic, broker_name, *queue_id};
  result.queue_offset = *queue_offset;
  const std::string* region = response.FindExtField("MSG_REGION");
  result.region_id = region != nullptr ? *region : "DefaultRegion";
  const std::string* trace = response.FindExtField("TRACE_ON");
  result.trace_on = trace == nullptr || *trace != "false";
  return result;
}

MQClientAPI::MQClientAPI(const ClientConfig& config)
    : namesrv_addrs_(SplitNamesrvAddr(config.namesrv_addr)) {}

MQClientAPI::~MQClientAPI() { Shutdown(); }

void MQClientAPI::RegisterProcessor(int32_t code, remoting::Processor processor) {
  remoting_.RegisterProcessor(code, std::move(processor));
}

void MQClientAPI::Start() { remoting_.Start(); }

void MQClientAPI::Shutdown() { remoting_.Shutdown(); }

Result<RemotingCommand> MQClientAPI::InvokeNameServer(RemotingCommand request,
                                                      std::chrono::milliseconds timeout) {
  if (namesrv_addrs_.empty()) return Status::InvalidArgument("no name server address configured");
  const size_t n = namesrv_addrs_.size();
  const size_t first = last_good_namesrv_.load() % n;
  Status last_error;
  for (size_t i = 0; i < n; ++i) {
    const size_t index = (first + i) % n;
    Result<RemotingCommand> response =
        remoting_.InvokeSync(namesrv_addrs_[index], request, timeout);
    if (response.ok()) {
      last_good_namesrv_.store(index);
      return response;
    }
    last_error = Status(response.status());
  }
  return Status::Unavailable("no name server answered (" + std::to_string(n) +
                             " tried), last error: " + last_error.ToString());
}

Result<RemotingCommand> MQClientAPI::Invoke(const std::string& addr, RemotingCommand request,
                                            std::chrono::milliseconds timeout) {
  return remoting_.InvokeSync(addr, std::move(request), timeout);
}

Result<TopicRouteData> MQClientAPI::GetTopicRouteInfoFromNameServer(
    const std::string& topic, std::chrono::milliseconds timeout) {
  RemotingCommand request = NewRequest(RequestCode::GET_ROUTEINFO_BY_TOPIC);
  request.SetExtField("topic", topic);
  request.SetExtField("acceptStandardJsonOnly", "true");
  Result<RemotingCommand> response = InvokeNameServer(std::move(request), timeout);
  if (!response.ok()) return response.status();
  if (response->code == ResponseCode::TOPIC_NOT_EXIST) {
    return Status::NotFound("no route for topic " + topic);
  }
  if (response->code != ResponseCode::SUCCESS) {
    return ResponseError("route of " + topic + " from the name server", *response);
  }
  return DecodeTopicRouteData(response->body);
}

Result<SendResult> MQClientAPI::SendMessageSync(const std::string& addr,
                                                const std::string& broker_name,
                                                const SendMessageRequestHeader& header,
                                                std::string body, const std::string& msg_id,
                                                std::chrono::milliseconds timeout) {
  Result<RemotingCommand> response =
      Invoke(addr, BuildSendRequest(header, std::move(body)), timeout);
  if (!response.ok()) return response.status();
  return ProcessSendResponse(broker_name, header.topic, *response, msg_id);
}

void MQClientAPI::SendMessageAsync(const std::string& addr, const std::string& broker_name,
                                   const SendMessageRequestHeader& header, std::string body,
                                   const std::string& msg_id, std::chrono::milliseconds timeout,
                                   SendResultCallback callback) {
  remoting_.InvokeAsync(addr, BuildSendRequest(header, std::move(body)), timeout,
                        [broker_name, topic = header.topic, msg_id,
                         callback = std::move(callback)](Result<RemotingCommand> response) {
                          if (!response.ok()) {
                            callback(response.status(), false);
                            return;
                          }
                          callback(ProcessSendResponse(broker_name, topic, *response, msg_id),
                                   true);
                        });
}

Status MQClientAPI::SendMessageOneway(const std::string& addr,
                                      const SendMessageRequestHeader& header, std::string body) {
  return remoting_.InvokeOneway(addr, BuildSendRequest(header, std::move(body)));
}

void MQClientAPI::PullMessageAsync(const std::string& addr, const PullMessageRequestHeader& header,
                                   std::chrono::milliseconds timeout,
                                   std::function<void(Result<PullResult>)> callback) {
  if (timeout.count() <= header.suspendTimeoutMillis) {
    callback(Status::InvalidArgument("pull timeout " + std::to_string(timeout.count()) +
                                     " ms must exceed suspendTimeoutMillis " +
                                     std::to_string(header.suspendTimeoutMillis) +
                                     " (the broker may hold the pull that long)"));
    return;
  }
  RemotingCommand request = NewRequest(RequestCode::PULL_MESSAGE);
  request.SetExtField("consumerGroup", header.consumerGroup);
  request.SetExtField("topic", header.topic);
  request.SetExtField("queueId", std::to_string(header.queueId));
  request.SetExtField("queueOffset", std::to_string(header.queueOffset));
  request.SetExtField("maxMsgNums", std::to_string(header.maxMsgNums));
  request.SetExtField("sysFlag", std::to_string(header.sysFlag));
  request.SetExtField("commitOffset", std::to_string(header.commitOffset));
  request.SetExtField("suspendTimeoutMillis", std::to_string(header.suspendTimeoutMillis));
  if (!header.subscription.empty()) request.SetExtField("subscription", header.subscription);
  request.SetExtField("subVersion", std::to_string(header.subVersion));
  if (!header.expressionType.empty()) {
    request.SetExtField("expressionType", header.expressionType);
  }
  if (!header.bname.empty()) request.SetExtField("bname", header.bname);
  remoting_.InvokeAsync(addr, std::move(request), timeout,
                        [header, callback = std::move(callback)](Result<RemotingCommand> r) {
                          if (!r.ok()) {
                            callback(r.status());
                            return;
                          }
                          callback(ProcessPullResponse(header, *r));
                        });
}

Result<int64_t> MQClientAPI::QueryOffset(const std::string& addr, const std::string& what,
                                         RemotingCommand request,
                                         std::chrono::milliseconds timeout) {
  Result<RemotingCommand> response = Invoke(addr, std::move(request), timeout);
  if (!response.ok()) return response.status();
  if (response->code == ResponseCode::QUERY_NOT_FOUND) {
    return Status::NotFound(what + ": broker " + addr + " has none");
  }
  if (response->code != ResponseCode::SUCCESS) {
    return ResponseError(what + " from " + addr, *response);
  }
  return ReadNumber<int64_t>(*response, "offset");
}

Result<int64_t> MQClientAPI::QueryConsumerOffset(const std::string& addr, const std::string& group,
                                                 const std::string& topic, int32_t queue_id,
                                                 std::chrono::milliseconds timeout) {
  RemotingCommand request = NewRequest(RequestCode::QUERY_CONSUMER_OFFSET);
  request.SetExtField("consumerGroup", group);
  request.SetExtField("topic", topic);
  request.SetExtField("queueId", std::to_string(queue_id));
  return QueryOffset(
      addr, "consumer offset of " + group + " on " + topic + ":" + std::to_string(queue_id),
      std::move(request), timeout);
}

Status MQClientAPI::UpdateConsumerOffsetOneway(const std::string& addr, const std::string& group,
                                               const std::string& topic, int32_t queue_id,
                                               int64_t offset) {
  RemotingCommand request = NewRequest(RequestCode::UPDATE_CONSUMER_OFFSET);
  request.SetExtField("consumerGroup", group);
  request.SetExtField("topic", topic);
  request.SetExtField("queueId", std::to_string(queue_id));
  request.SetExtField("commitOffset", std::to_string(offset));
  return remoting_.InvokeOneway(addr, std::move(request));
}

Result<std::vector<std::string>> MQClientAPI::GetConsumerIdListByGroup(
    const std::string& addr, const std::string& group, std::chrono::milliseconds timeout) {
  RemotingCommand request = NewRequest(RequestCode::GET_CONSUMER_LIST_BY_GROUP);
  request.SetExtField("consumerGroup", group);
  Result<RemotingCommand> response = Invoke(addr, std::move(request), timeout);
  if (!response.ok()) return response.status();
  if (response->code != ResponseCode::SUCCESS) {
    return ResponseError("consumer list of " + group + " from " + addr, *response);
  }
  Result<protocol::GetConsumerListByGroupResponseBody> body =
      protocol::DecodeGetConsumerListByGroupResponseBody(response->body);
  if (!body.ok()) {
    return Status::Corruption("consumer list from " + addr + ": " + body.status().message());
  }
  return std::move(body->consumer_id_list);
}

Result<int64_t> MQClientAPI::GetMaxOffset(const std::string& addr, const std::string& topic,
                                          int32_t queue_id, std::chrono::milliseconds timeout) {
  RemotingCommand request = NewRequest(RequestCode::GET_MAX_OFFSET);
  request.SetExtField("topic", topic);
  request.SetExtField("queueId", std::to_string(queue_id));
  return QueryOffset(addr, "max offset of " + topic + ":" + std::to_string(queue_id),
                     std::move(request), timeout);
}

Result<int64_t> MQClientAPI::GetMinOffset(const std::string& addr, const std::string& topic,
                                          int32_t queue_id, std::chrono::milliseconds timeout) {
  RemotingCommand request = NewRequest(RequestCode::GET_MIN_OFFSET);
  request.SetExtField("topic", topic);
  request.SetExtField("queueId", std::to_string(queue_id));
  return QueryOffset(addr, "min offset of " + topic + ":" + std::to_string(queue_id),
                     std::move(request), timeout);
}

Result<int64_t> MQClientAPI::SearchOffset(const std::string& addr, const std::string& topic,
                                          int32_t queue_id, int64_t timestamp_ms,
                                          std::chrono::milliseconds timeout) {
  RemotingCommand request = NewRequest(RequestCode::SEARCH_OFFSET_BY_TIMESTAMP);
  request.SetExtField("topic", topic);
  request.SetExtField("queueId", std::to_string(queue_id));
  request.SetExtField("timestamp", std::to_string(timestamp_ms));
  return QueryOffset(
      addr,
      "offset at " + std::to_string(timestamp_ms) + " of " + topic + ":" + std::to_string(queue_id),
      std::move(request), timeout);
}

Result<std::set<MessageQueue>> MQClientAPI::LockBatchMQ(const std::string& addr,
                                                        const std::string& group,
                                                        const std::string& client_id,
                                                        const std::set<MessageQueue>& mqs,
                                                        std::chrono::milliseconds timeout) {
  RemotingCommand request = NewRequest(RequestCode::LOCK_BATCH_MQ);
  request.body = protocol::EncodeLockBatchRequestBody({group, client_id, mqs, false});
  Result<RemotingCommand> response = Invoke(addr, std::move(request), timeout);
  if (!response.ok()) return response.status();
  if (response->code != ResponseCode::SUCCESS) {
    return ResponseError("lock queues of " + group + " on " + addr, *response);
  }
  Result<protocol::LockBatchResponseBody> locked =
      protocol::DecodeLockBatchResponseBody(response->body);
  if (!locked.ok()) {
    return Status::Corruption("lock answer from " + addr + ": " + locked.status().message());
  }
  return std::move(locked->lock_ok_mq_set);
}

Status MQClientAPI::UnlockBatchMQ(const std::string& addr, const std::string& group,
                                  const std::string& client_id, const std::set<MessageQueue>& mqs,
                                  std::chrono::milliseconds timeout, bool oneway) {
  RemotingCommand request = NewRequest(RequestCode::UNLOCK_BATCH_MQ);
  request.body = protocol::EncodeLockBatchRequestBody({group, client_id, mqs, false});
  if (oneway) return remoting_.InvokeOneway(addr, std::move(request));
  Result<RemotingCommand> response = Invoke(addr, std::move(request), timeout);
  if (!response.ok()) return response.status();
  if (response->code != ResponseCode::SUCCESS) {
    return ResponseError("unlock queues of " + group + " on " + addr, *response);
  }
  return Status::Ok();
}

Status MQClientAPI::ConsumerSendMessageBack(const std::string& addr, const MQMessageExt& msg,
                                            const std::string& group, int delay_level,
                                            std::chrono::milliseconds timeout,
                                            int max_reconsume_times) {
  RemotingCommand request = NewRequest(RequestCode::CONSUMER_SEND_MSG_BACK);
  request.SetExtField("offset", std::to_string(msg.commit_log_offset));
  request.SetExtField("group", group);
  request.SetExtField("delayLevel", std::to_string(delay_level));
  request.SetExtField("originMsgId", msg.msg_id);
  request.SetExtField("originTopic", msg.topic);
  request.SetExtField("unitMode", "false");
  request.SetExtField("maxReconsumeTimes", std::to_string(max_reconsume_times));
  Result<RemotingCommand> response = Invoke(addr, std::move(request), timeout);
  if (!response.ok()) return response.status();
  if (response->code != ResponseCode::SUCCESS) {
    return ResponseError("send back of " + msg.msg_id + " for " + group + " to " + addr, *response);
  }
  return Status::Ok();
}

Status MQClientAPI::SendHeartbeat(const std::string& addr, const protocol::HeartbeatData& heartbeat,
                                  std::chrono::milliseconds timeout) {
  RemotingCommand request = NewRequest(RequestCode::HEART_BEAT);
  request.body = protocol::EncodeHeartbeatData(heartbeat);
  Result<RemotingCommand> response = Invoke(addr, std::move(request), timeout);
  if (!response.ok()) return response.status();
  if (response->code != ResponseCode::SUCCESS) {
    return ResponseError("heartbeat to " + addr, *response);
  }
  return Status::Ok();
}

Status MQClientAPI::UnregisterClient(const std::string& addr, const std::string& client_id,
                                     const std::string& producer_group,
                                     const std::string& consumer_group,
                                     std::chrono::milliseconds timeout) {
  RemotingCommand request = NewRequest(RequestCode::UNREGISTER_CLIENT);
  request.SetExtField("clientID", client_id);
  if (!producer_group.empty()) request.SetExtField("producerGroup", producer_group);
  if (!consumer_group.empty()) request.SetExtField("consumerGroup", consumer_group);
  Result<RemotingCommand> response = Invoke(addr, std::move(request), timeout);
  if (!response.ok()) return response.status();
  if (response->code != ResponseCode::SUCCESS) {
    return ResponseError("unregister " + client_id + " from " + addr, *response);
  }
  return Status::Ok();
}

}  // namespace holdfast::client
