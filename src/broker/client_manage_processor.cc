#include "broker/client_manage_processor.h"

#include <spdlog/spdlog.h>

#include "broker/broker_response.h"
#include "common/topic_validator.h"
#include "remoting/protocol/get_consumer_list_by_group_request_header.h"
#include "remoting/protocol/get_consumer_list_by_group_response_body.h"
#include "remoting/protocol/heartbeat_data.h"
#include "remoting/protocol/lock_batch_body.h"
#include "remoting/protocol/perm_name.h"
#include "remoting/protocol/unregister_client_request_header.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::broker {

using protocol::ConsumerData;
using protocol::ConsumeTypeName;
using protocol::DecodeCustomHeader;
using protocol::DecodeHeartbeatData;
using protocol::DecodeLockBatchRequestBody;
using protocol::EncodeLockBatchResponseBody;
using protocol::GetConsumerListByGroupRequestHeader;
using protocol::HeartbeatData;
using protocol::kPermRead;
using protocol::kPermWrite;
using protocol::LockBatchRequestBody;
using protocol::LockBatchResponseBody;
using protocol::MessageModelName;
using protocol::ProducerData;
using protocol::SubscriptionGroupConfig;
using protocol::UnregisterClientRequestHeader;
using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;
using remoting::ResponseWriter;

namespace {

ClientChannelInfo ChannelInfoOf(const RemotingCommand& request, const ResponseWriter& writer,
                                std::string client_id) {
  ClientChannelInfo info;
  info.channel = writer.connection();
  info.client_id = std::move(client_id);
  info.language = request.language;
  info.version = request.version;
  info.last_update_timestamp = std::chrono::steady_clock::now();
  return info;
}

}  // namespace

void ClientManageProcessor::Process(const RemotingCommand& request, ResponseWriter writer) {
  RemotingCommand response;
  switch (request.code) {
    case RequestCode::HEART_BEAT:
      response = HeartBeat(request, writer);
      break;
    case RequestCode::UNREGISTER_CLIENT:
      response = UnregisterClient(request, writer);
      break;
    case RequestCode::GET_CONSUMER_LIST_BY_GROUP:
      response = GetConsumerListByGroup(request);
      break;
    case RequestCode::LOCK_BATCH_MQ:
      response = LockBatchMQ(request);
      break;
    case RequestCode::UNLOCK_BATCH_MQ:
      response = UnlockBatchMQ(request);
      break;
    default:
      response = UnsupportedRequest(request);
  }
  Reply(writer, std::move(response));
}

RemotingCommand ClientManageProcessor::HeartBeat(const RemotingCommand& request,
                                                 const ResponseWriter& writer) {
  Result<HeartbeatData> hb = DecodeHeartbeatData(request.body);
  if (!hb.ok())
    return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, hb.status().message());
  if (writer.connection() == nullptr) {
    // The client went away while the request waited for a worker: nothing to register.
    return MakeBrokerResponse(request, ResponseCode::SUCCESS);
  }
  const ClientChannelInfo info = ChannelInfoOf(request, writer, hb->client_id);
  for (const ConsumerData& consumer : hb->consumer_data_set) {
    bool notify = true;
    std::optional<SubscriptionGroupConfig> group =
        deps_.groups->FindSubscriptionGroupConfig(consumer.group_name);
    if (group) {
      notify = group->notify_consumer_ids_changed_enable;
      if (consumer.message_model == MessageModel::kClustering) {
        const int32_t topic_sys_flag = consumer.unit_mode ? kTopicSysFlagUnitSub : 0;
        Result<CreateTopicResult> retry = deps_.topics->CreateTopicInSendMessageBackMethod(
            std::string(kRetryGroupTopicPrefix) + consumer.group_name, group->retry_queue_nums,
            kPermWrite | kPermRead, topic_sys_flag);
        // The heartbeat still succeeds, as in RocketMQ: a topic that could not be persisted is
        // kept in memory and written with the next persist of topics.json that succeeds, and a
        // broker that lost it in a restart creates it again at the next heartbeat.
        if (!retry.ok()) {
          spdlog::warn("heartbeat of {}: creating the retry topic of group {} failed: {}",
                       hb->client_id, consumer.group_name, retry.status().ToString());
        } else if (retry->created && deps_.on_topic_created) {
          deps_.on_topic_created();
        }
      }
    }
    bool changed = deps_.consumers->RegisterConsumer(
        consumer.group_name, info, consumer.consume_type, consumer.message_model,
        consumer.consume_from_where, consumer.subscription_data_set, notify);
    if (changed) {
      spdlog::info("registered consumer {} of group {} ({}, {})", hb->client_id,
                   consumer.group_name, ConsumeTypeName(consumer.consume_type),
                   MessageModelName(consumer.message_model));
    }
  }
  for (const ProducerData& producer : hb->producer_data_set) {
    deps_.producers->RegisterProducer(producer.group_name, info);
  }
  // The connection may have closed while this ran, its close event finding nothing to drop yet
  // (a connection is marked closed before its close listener runs): drop it now.
  if (!info.channel->IsOpen()) {
    deps_.producers->DoChannelCloseEvent(info.channel.get());
    deps_.consumers->DoChannelCloseEvent(info.channel.get());
  }
  return MakeBrokerResponse(request, ResponseCode::SUCCESS);
}

RemotingCommand ClientManageProcessor::UnregisterClient(const RemotingCommand& request,
                                                        const ResponseWriter& writer) {
  Result<UnregisterClientRequestHeader> h =
      DecodeCustomHeader<UnregisterClientRequestHeader>(request);
  if (!h.ok()) return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, h.status().message());
  const std::string& producer_group = h->producer_group;
  const std::string& consumer_group = h->consumer_group;
  const remoting::Connection* channel = writer.connection().get();
  if (!producer_group.empty()) deps_.producers->UnregisterProducer(producer_group, channel);
  if (!consumer_group.empty()) {
    std::optional<SubscriptionGroupConfig> group =
        deps_.groups->SelectSubscriptionGroupConfig(consumer_group);
    const bool notify = group ? group->notify_consumer_ids_changed_enable : true;
    deps_.consumers->UnregisterConsumer(consumer_group, channel, notify);
  }
  return MakeBrokerResponse(request, ResponseCode::SUCCESS);
}

RemotingCommand ClientManageProcessor::GetConsumerListByGroup(const RemotingCommand& request) {
  Result<GetConsumerListByGroupRequestHeader> h =
      DecodeCustomHeader<GetConsumerListByGroupRequestHeader>(request);
  if (!h.ok()) return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, h.status().message());
  const std::string& group = h->consumer_group;
  std::vector<std::string> ids = deps_.consumers->GetAllClientId(group);
  if (ids.empty()) {
    spdlog::warn("getConsumerListByGroup: no consumer for group {}", group);
    return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR,
                              "no consumer for this group, " + group);
  }
  RemotingCommand response = MakeBrokerResponse(request, ResponseCode::SUCCESS);
  response.body = protocol::EncodeGetConsumerListByGroupResponseBody({std::move(ids)});
  return response;
}

RemotingCommand ClientManageProcessor::LockBatchMQ(const RemotingCommand& request) {
  Result<LockBatchRequestBody> body = DecodeLockBatchRequestBody(request.body);
  if (!body.ok())
    return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, body.status().message());
  std::set<MessageQueue> locked =
      deps_.locks->TryLockBatch(body->consumer_group, body->mq_set, body->client_id);
  RemotingCommand response = MakeBrokerResponse(request, ResponseCode::SUCCESS);
  response.body = EncodeLockBatchResponseBody(LockBatchResponseBody{std::move(locked)});
  return response;
}

RemotingCommand ClientManageProcessor::UnlockBatchMQ(const RemotingCommand& request) {
  Result<LockBatchRequestBody> body = DecodeLockBatchRequestBody(request.body);
  if (!body.ok())
    return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, body.status().message());
  deps_.locks->UnlockBatch(body->consumer_group, body->mq_set, body->client_id);
  return MakeBrokerResponse(request, ResponseCode::SUCCESS);
}

}  // namespace holdfast::broker
