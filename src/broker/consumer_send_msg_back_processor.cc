#include "broker/consumer_send_msg_back_processor.h"

#include <fmt/format.h>

#include <optional>
#include <string>

#include "broker/broker_response.h"
#include "broker/client_manage_processor.h"
#include "broker/message_id.h"
#include "broker/retry_and_dlq.h"
#include "broker/send_message_processor.h"
#include "common/clock.h"
#include "common/topic_validator.h"
#include "remoting/protocol/consumer_send_msg_back_request_header.h"
#include "remoting/protocol/perm_name.h"
#include "remoting/response_code.h"

namespace holdfast::broker {

using protocol::ConsumerSendMsgBackRequestHeader;
using protocol::DecodeCustomHeader;
using protocol::SubscriptionGroupConfig;
using protocol::TopicConfig;
using remoting::RemotingCommand;
using remoting::ResponseCode;
using remoting::ResponseWriter;
using store::PutMessageResult;
using store::PutMessageStatus;

ConsumerSendMsgBackProcessor::ConsumerSendMsgBackProcessor(SubscriptionGroupManager* groups,
                                                           TopicConfigManager* topics,
                                                           store::MessageStore* store,
                                                           std::function<void()> on_topic_created)
    : groups_(groups),
      topics_(topics),
      store_(store),
      on_topic_created_(std::move(on_topic_created)) {}

void ConsumerSendMsgBackProcessor::Process(const RemotingCommand& request, ResponseWriter writer) {
  Result<ConsumerSendMsgBackRequestHeader> decoded =
      DecodeCustomHeader<ConsumerSendMsgBackRequestHeader>(request);
  if (!decoded.ok()) {
    return Reply(writer, request, ResponseCode::SYSTEM_ERROR,
                 "bad CONSUMER_SEND_MSG_BACK header: " + decoded.status().message());
  }
  const ConsumerSendMsgBackRequestHeader& h = *decoded;
  if (Status s = ValidateGroup(h.group); !s.ok()) {
    return Reply(writer, request, ResponseCode::INVALID_PARAMETER, s.message());
  }

  // 1. The group, auto-created when allowed.
  std::optional<SubscriptionGroupConfig> group = groups_->FindSubscriptionGroupConfig(h.group);
  if (!group) {
    return Reply(writer, request, ResponseCode::SUBSCRIPTION_GROUP_NOT_EXIST,
                 fmt::format("subscription group not exist, {}", h.group));
  }
  // 2. A group that keeps no retry queue drops what it failed.
  if (group->retry_queue_nums <= 0) {
    return Reply(writer, MakeBrokerResponse(request, ResponseCode::SUCCESS));
  }
  // 3. The retry topic.
  Result<TopicConfig> retry =
      EnsureRetryTopic(topics_, h.group, group->retry_queue_nums,
                       h.unit_mode ? kTopicSysFlagUnitSub : 0, on_topic_created_);
  if (!retry.ok()) {
    return Reply(
        writer, request, ResponseCode::SYSTEM_ERROR,
        fmt::format("topic[{}] not exist: {}", RetryTopicOf(h.group), retry.status().message()));
  }
  if (!protocol::IsWriteable(retry->perm)) {
    return Reply(writer, request, ResponseCode::NO_PERMISSION,
                 fmt::format("the topic[{}] sending message is forbidden", retry->topic_name));
  }
  // 4. The failed message, from this broker's own store.
  Result<MessageExt> original = store_->LookMessageByOffset(h.offset);
  if (!original.ok()) {
    return Reply(writer, request, ResponseCode::SYSTEM_ERROR,
                 fmt::format("look message by offset failed, {} ({})", h.offset,
                             original.status().message()));
  }

  // 5. Retry or dead letter.
  const int32_t max_reconsume_times =
      MaxReconsumeTimes(*group, request.version, h.max_reconsume_times);
  PropertyMap properties = DecodeProperties(original->properties);
  MessageExt copy;
  if (original->reconsume_times >= max_reconsume_times || h.delay_level < 0) {
    Result<TopicConfig> dlq = EnsureDlqTopic(topics_, h.group, on_topic_created_);
    if (!dlq.ok()) {
      return Reply(
          writer, request, ResponseCode::SYSTEM_ERROR,
          fmt::format("topic[{}] not exist: {}", DlqTopicOf(h.group), dlq.status().message()));
    }
    copy.topic = dlq->topic_name;
    copy.queue_id = RandomQueueId(dlq->write_queue_nums);
    properties.erase(std::string(property::kDelayTimeLevel));
  } else {
    const int32_t level = h.delay_level == 0 ? 3 + original->reconsume_times : h.delay_level;
    copy.topic = retry->topic_name;
    copy.queue_id = RandomQueueId(retry->write_queue_nums);
    properties[std::string(property::kDelayTimeLevel)] = std::to_string(level);
  }

  // 6. The copy.
  properties.try_emplace(std::string(property::kRetryTopic), original->topic);
  auto origin = properties.find(property::kOriginMessageId);
  if (origin == properties.end() || origin->second.empty()) {
    properties[std::string(property::kOriginMessageId)] =
        CreateOffsetMsgId(original->store_host, original->commit_log_offset);
  }
  // Stored with the store's default wait: see the header.
  properties.erase(std::string(property::kWaitStoreMsgOk));
  NoteFirstFailure(&properties, NowMillis());
  copy.flag = original->flag;
  copy.sys_flag = original->sys_flag;
  copy.born_timestamp = original->born_timestamp;
  copy.born_host = original->born_host;
  copy.store_host = original->store_host;
  copy.reconsume_times = original->reconsume_times + 1;
  copy.body = std::move(original->body);
  copy.properties = EncodeProperties(properties);

  // 7. The answer, from the store's completion.
  RemotingCommand response = MakeBrokerResponse(request, ResponseCode::SUCCESS);
  store_->PutMessageAsync(
      std::move(copy), [writer, response = std::move(response)](PutMessageResult result) mutable {
        if (result.status != PutMessageStatus::kPutOk) {
          response.code = ResponseCode::SYSTEM_ERROR;
          response.remark = std::string(store::PutMessageStatusName(result.status));
          if (!result.error.empty()) *response.remark += ": " + result.error;
        }
        Reply(writer, std::move(response));
      });
}

}  // namespace holdfast::broker
