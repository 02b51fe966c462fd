#include "client/mq_client_api.h"

#include <memory>
#include <utility>

#include "remoting/protocol/consumer_send_msg_back_request_header.h"
#include "remoting/protocol/get_consumer_list_by_group_request_header.h"
#include "remoting/protocol/get_consumer_list_by_group_response_body.h"
#include "remoting/protocol/get_route_info_request_header.h"
#include "remoting/protocol/lock_batch_body.h"
#include "remoting/protocol/mq_version.h"
#include "remoting/protocol/offset_response_header.h"
#include "remoting/protocol/pull_message_response_header.h"
#include "remoting/protocol/query_consumer_offset_request_header.h"
#include "remoting/protocol/search_offset_request_header.h"
#include "remoting/protocol/send_message_response_header.h"
#include "remoting/protocol/topic_queue_request_header.h"
#include "remoting/protocol/unregister_client_request_header.h"
#include "remoting/protocol/update_consumer_offset_request_header.h"
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

// A response's custom header; Corruption naming the response when it does not decode.
template <typename Header>
Result<Header> ReadResponseHeader(const RemotingCommand& response) {
  Result<Header> header = protocol::DecodeCustomHeader<Header>(response);
  if (!header.ok()) {
    return Status::Corruption("response " + std::string(remoting::ResponseCodeName(response.code)) +
                              ": " + header.status().message());
  }
  return header;
}

// A request carrying `header`.
template <typename Header>
RemotingCommand NewRequest(int32_t code, const Header& header) {
  RemotingCommand request = NewRequest(code);
  protocol::EncodeCustomHeader(header, &request);
  return request;
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
      return ResponseError("pull " + header.topic + " queue " + std::to_string(header.queue_id),
                           response);
  }
  Result<protocol::PullMessageResponseHeader> answer =
      ReadResponseHeader<protocol::PullMessageResponseHeader>(response);
  if (!answer.ok()) return answer.status();
  result.next_begin_offset = answer->next_begin_offset;
  result.min_offset = answer->min_offset;
  result.max_offset = answer->max_offset;
  result.suggest_which_broker_id = answer->suggest_which_broker_id;
  if (result.status == PullStatus::kFound) {
    Result<std::vector<MQMessageExt>> msgs = DecodeMessages(response.body, header.broker_name);
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
  protocol::EncodeSendMessageRequestHeader(h, &request);
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
  Result<protocol::SendMessageResponseHeader> answer =
      ReadResponseHeader<protocol::SendMessageResponseHeader>(response);
  if (!answer.ok()) return answer.status();
  result.msg_id = msg_id;
  result.offset_msg_id = std::move(answer->msg_id);
  result.message_queue = MessageQueue{topic, broker_name, answer->queue_id};
  result.queue_offset = answer->queue_offset;
  result.region_id = answer->msg_region.empty() ? "DefaultRegion" : std::move(answer->msg_region);
  result.trace_on = answer->trace_on != "false";
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
  RemotingCommand request = NewRequest(RequestCode::GET_ROUTEINFO_BY_TOPIC,
                                       protocol::GetRouteInfoRequestHeader{topic, true});
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
  if (timeout.count() <= header.suspend_timeout_millis) {
    callback(Status::InvalidArgument("pull timeout " + std::to_string(timeout.count()) +
                                     " ms must exceed suspendTimeoutMillis " +
                                     std::to_string(header.suspend_timeout_millis) +
                                     " (the broker may hold the pull that long)"));
    return;
  }
  RemotingCommand request = NewRequest(RequestCode::PULL_MESSAGE, header);
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
  Result<protocol::OffsetResponseHeader> answer =
      ReadResponseHeader<protocol::OffsetResponseHeader>(*response);
  if (!answer.ok()) return answer.status();
  return answer->offset;
}

Result<int64_t> MQClientAPI::QueryConsumerOffset(const std::string& addr, const std::string& group,
                                                 const std::string& topic, int32_t queue_id,
                                                 std::chrono::milliseconds timeout) {
  protocol::QueryConsumerOffsetRequestHeader header;
  header.consumer_group = group;
  header.topic = topic;
  header.queue_id = queue_id;
  RemotingCommand request = NewRequest(RequestCode::QUERY_CONSUMER_OFFSET, header);
  return QueryOffset(
      addr, "consumer offset of " + group + " on " + topic + ":" + std::to_string(queue_id),
      std::move(request), timeout);
}

Status MQClientAPI::UpdateConsumerOffsetOneway(const std::string& addr, const std::string& group,
                                               const std::string& topic, int32_t queue_id,
                                               int64_t offset) {
  RemotingCommand request =
      NewRequest(RequestCode::UPDATE_CONSUMER_OFFSET, protocol::UpdateConsumerOffsetRequestHeader{
                                                          .consumer_group = group,
                                                          .topic = topic,
                                                          .queue_id = queue_id,
                                                          .commit_offset = offset,
                                                      });
  return remoting_.InvokeOneway(addr, std::move(request));
}

Result<std::vector<std::string>> MQClientAPI::GetConsumerIdListByGroup(
    const std::string& addr, const std::string& group, std::chrono::milliseconds timeout) {
  RemotingCommand request = NewRequest(RequestCode::GET_CONSUMER_LIST_BY_GROUP,
                                       protocol::GetConsumerListByGroupRequestHeader{group});
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
  RemotingCommand request =
      NewRequest(RequestCode::GET_MAX_OFFSET, protocol::GetMaxOffsetRequestHeader{topic, queue_id});
  return QueryOffset(addr, "max offset of " + topic + ":" + std::to_string(queue_id),
                     std::move(request), timeout);
}

Result<int64_t> MQClientAPI::GetMinOffset(const std::string& addr, const std::string& topic,
                                          int32_t queue_id, std::chrono::milliseconds timeout) {
  RemotingCommand request =
      NewRequest(RequestCode::GET_MIN_OFFSET, protocol::GetMinOffsetRequestHeader{topic, queue_id});
  return QueryOffset(addr, "min offset of " + topic + ":" + std::to_string(queue_id),
                     std::move(request), timeout);
}

Result<int64_t> MQClientAPI::SearchOffset(const std::string& addr, const std::string& topic,
                                          int32_t queue_id, int64_t timestamp_ms,
                                          std::chrono::milliseconds timeout) {
  RemotingCommand request =
      NewRequest(RequestCode::SEARCH_OFFSET_BY_TIMESTAMP,
                 protocol::SearchOffsetRequestHeader{topic, queue_id, timestamp_ms});
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
  RemotingCommand request = NewRequest(RequestCode::CONSUMER_SEND_MSG_BACK,
                                       protocol::ConsumerSendMsgBackRequestHeader{
                                           .offset = msg.commit_log_offset,
                                           .group = group,
                                           .delay_level = delay_level,
                                           .origin_msg_id = msg.msg_id,
                                           .origin_topic = msg.topic,
                                           .unit_mode = false,
                                           .max_reconsume_times = max_reconsume_times,
                                       });
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
  RemotingCommand request = NewRequest(
      RequestCode::UNREGISTER_CLIENT,
      protocol::UnregisterClientRequestHeader{client_id, producer_group, consumer_group});
  Result<RemotingCommand> response = Invoke(addr, std::move(request), timeout);
  if (!response.ok()) return response.status();
  if (response->code != ResponseCode::SUCCESS) {
    return ResponseError("unregister " + client_id + " from " + addr, *response);
  }
  return Status::Ok();
}

}  // namespace holdfast::client
