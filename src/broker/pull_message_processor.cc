#include "broker/pull_message_processor.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "broker/broker_response.h"
#include "common/message.h"
#include "common/message_codec.h"
#include "remoting/connection.h"
#include "remoting/protocol/perm_name.h"
#include "remoting/protocol/pull_message_request_header.h"
#include "remoting/protocol/pull_message_response_header.h"
#include "remoting/protocol/pull_sys_flag.h"
#include "remoting/protocol/subscription_data.h"
#include "remoting/response_code.h"

namespace holdfast::broker {

using protocol::BuildSubscriptionData;
using protocol::DecodePullMessageRequestHeader;
using protocol::kExpressionTypeTag;
using protocol::kPermRead;
using protocol::kPullFlagCommitOffset;
using protocol::kPullFlagSubscription;
using protocol::kPullFlagSuspend;
using protocol::PullMessageRequestHeader;
using protocol::SubscriptionData;
using protocol::SubscriptionGroupConfig;
using protocol::TopicConfig;
using remoting::RemotingCommand;
using remoting::ResponseCode;
using remoting::ResponseWriter;
using store::GetMessageResult;
using store::GetMessageStatus;

namespace {

// FAQUrl.suggestTodo(FAQUrl.SUBSCRIPTION_GROUP_NOT_EXIST / SAME_GROUP_DIFFERENT_TOPIC).
constexpr std::string_view kFaqSuggestion =
    "\nSee http://rocketmq.apache.org/docs/faq/ for further details.";

// maxTransferCountOnMessageInMemory / maxTransferBytesOnMessageInMemory.
constexpr int32_t kMaxTransferCount = 32;
constexpr int64_t kMaxTransferBytes = 256 * 1024;

// Drops the records whose TAGS is not one of `tags` (hash collisions in the consume queue). A
// record that does not decode is never dropped: the answer ends before it (READ_ERROR when it is
// the first), so the consumer asks for it again instead of moving past it.
void FilterByTags(const std::vector<std::string>& tags, GetMessageResult* result) {
  std::vector<std::string> kept;
  std::vector<int64_t> kept_offsets;
  int64_t kept_bytes = 0;
  for (size_t i = 0; i < result->messages.size(); ++i) {
    Result<MessageView> view = DecodeStoredRecord(result->messages[i], false);
    if (!view.ok()) {
      if (i == 0) {
        result->status = GetMessageStatus::kReadError;
        result->error = Status::Corruption("the stored message at queue offset " +
                                           std::to_string(result->queue_offsets[0]) +
                                           " does not decode: " + view.status().message());
        result->next_begin_offset = result->queue_offsets[0];
      } else {
        result->next_begin_offset = result->queue_offsets[i];
      }
      break;
    }
    std::optional<std::string_view> tag = FindProperty(view->properties, property::kTags);
    if (!tag || std::find(tags.begin(), tags.end(), *tag) == tags.end()) continue;
    kept_bytes += static_cast<int64_t>(result->messages[i].size());
    kept.push_back(std::move(result->messages[i]));
    kept_offsets.push_back(result->queue_offsets[i]);
  }
  result->messages = std::move(kept);
  result->queue_offsets = std::move(kept_offsets);
  result->buffer_total_size = kept_bytes;
  if (result->messages.empty() && result->status == GetMessageStatus::kFound) {
    result->status = GetMessageStatus::kNoMatchedMessage;
  }
}

// The response's remark: the cause for READ_ERROR, else the status name.
std::string RemarkFor(const GetMessageResult& result) {
  if (result.status == GetMessageStatus::kReadError) return result.error.ToString();
  return std::string(store::GetMessageStatusName(result.status));
}

}  // namespace

int32_t PullResponseCodeFor(GetMessageStatus status, int64_t requested_offset) {
  switch (status) {
    case GetMessageStatus::kFound:
      return ResponseCode::SUCCESS;
    case GetMessageStatus::kNoMatchedMessage:
    case GetMessageStatus::kMessageWasRemoving:
      return ResponseCode::PULL_RETRY_IMMEDIATELY;
    case GetMessageStatus::kNoMessageInQueue:
    case GetMessageStatus::kNoMatchedLogicQueue:
      return requested_offset != 0 ? ResponseCode::PULL_OFFSET_MOVED : ResponseCode::PULL_NOT_FOUND;
    case GetMessageStatus::kOffsetOverflowOne:
    case GetMessageStatus::kOffsetFoundNull:
      return ResponseCode::PULL_NOT_FOUND;
    case GetMessageStatus::kOffsetOverflowBadly:
    case GetMessageStatus::kOffsetTooSmall:
      return ResponseCode::PULL_OFFSET_MOVED;
    case GetMessageStatus::kReadError:
      return ResponseCode::SYSTEM_ERROR;
  }
  return ResponseCode::SYSTEM_ERROR;
}

PullMessageProcessor::PullMessageProcessor(TopicConfigManager* topics,
                                           ConsumerOffsetManager* offsets,
                                           store::MessageStore* store,
                                           SubscriptionGroupManager* groups,
                                           const ConsumerManager* consumers)
    : topics_(topics),
      offsets_(offsets),
      store_(store),
      groups_(groups),
      consumers_(consumers),
      hold_(store, [this](PullRequest r) { Pull(r.request, std::move(r.writer), r.deadline); }) {}

PullMessageProcessor::~PullMessageProcessor() { Shutdown(); }

void PullMessageProcessor::Start() { hold_.Start(); }

void PullMessageProcessor::Shutdown() { hold_.Shutdown(); }

void PullMessageProcessor::Process(const RemotingCommand& request, ResponseWriter writer) {
  Pull(request, std::move(writer), std::nullopt);
}

void PullMessageProcessor::Pull(const RemotingCommand& request, ResponseWriter writer,
                                std::optional<std::chrono::steady_clock::time_point> held_until) {
  Result<PullMessageRequestHeader> header = DecodePullMessageRequestHeader(request);
  if (!header.ok()) {
    Reply(writer, request, ResponseCode::SYSTEM_ERROR, header.status().message());
    return;
  }
  const PullMessageRequestHeader& h = *header;

  std::optional<SubscriptionGroupConfig> group =
      groups_->FindSubscriptionGroupConfig(h.consumer_group);
  if (!group) {
    Reply(writer, request, ResponseCode::SUBSCRIPTION_GROUP_NOT_EXIST,
          "subscription group [" + h.consumer_group + "] does not exist, " +
              std::string(kFaqSuggestion));
    return;
  }
  if (!group->consume_enable) {
    Reply(writer, request, ResponseCode::NO_PERMISSION,
          "subscription group no permission, " + h.consumer_group);
    return;
  }

  std::optional<TopicConfig> topic = topics_->SelectTopicConfig(h.topic);
  if (!topic) {
    Reply(writer, request, ResponseCode::TOPIC_NOT_EXIST,
          "topic[" + h.topic + "] not exist, apply first please!");
    return;
  }
  if ((topic->perm & kPermRead) == 0) {
    Reply(writer, request, ResponseCode::NO_PERMISSION,
          "the topic[" + h.topic + "] pulling message is forbidden");
    return;
  }
  if (h.queue_id < 0 || h.queue_id >= topic->read_queue_nums) {
    Reply(writer, request, ResponseCode::INVALID_PARAMETER,
          "queueId[" + std::to_string(h.queue_id) + "] is illegal, topic:[" + h.topic +
              "] topicConfig.readQueueNums:[" + std::to_string(topic->read_queue_nums) + "]");
    return;
  }

  SubscriptionData subscription;
  if ((h.sys_flag & kPullFlagSubscription) != 0) {
    subscription = BuildSubscriptionData(h.topic, h.subscription, h.expression_type, h.sub_version);
  } else {
    std::optional<ConsumerGroupInfo> info = consumers_->GetConsumerGroupInfo(h.consumer_group);
    if (!info) {
      Reply(writer, request, ResponseCode::SUBSCRIPTION_NOT_EXIST,
            "the consumer's group info not exist" + std::string(kFaqSuggestion));
      return;
    }
    if (!group->consume_broadcast_enable && info->message_model == MessageModel::kBroadcasting) {
      Reply(writer, request, ResponseCode::NO_PERMISSION,
            "the consumer group[" + h.consumer_group + "] can not consume by broadcast way");
      return;
    }
    auto found = info->subscription_table.find(h.topic);
    if (found == info->subscription_table.end()) {
      Reply(writer, request, ResponseCode::SUBSCRIPTION_NOT_EXIST,
            "the consumer's subscription not exist" + std::string(kFaqSuggestion));
      return;
    }
    if (found->second.sub_version < h.sub_version) {
      Reply(writer, request, ResponseCode::SUBSCRIPTION_NOT_LATEST,
            "the consumer's subscription not latest");
      return;
    }
    subscription = found->second;
  }
  if (subscription.expression_type != kExpressionTypeTag) {
    Reply(writer, request, ResponseCode::SYSTEM_ERROR,
          "The broker does not support consumer to filter message by " +
              subscription.expression_type);
    return;
  }

  const std::vector<std::string> tags(subscription.tags_set.begin(), subscription.tags_set.end());
  std::vector<int64_t> tags_codes(subscription.code_set.begin(), subscription.code_set.end());

  const int32_t max_nums = std::clamp(h.max_msg_nums, 1, kMaxTransferCount);
  const int64_t max_bytes =
      h.max_msg_bytes ? std::min<int64_t>(*h.max_msg_bytes, kMaxTransferBytes) : kMaxTransferBytes;
  GetMessageResult result =
      store_->GetMessage(h.topic, h.queue_id, h.queue_offset, max_nums, max_bytes, tags_codes);
  if (!tags.empty()) FilterByTags(tags, &result);

  // The piggy-backed commit, on the first run only (RocketMQ's brokerAllowSuspend).
  if (!held_until && (h.sys_flag & kPullFlagCommitOffset) != 0) {
    offsets_->CommitOffset(h.consumer_group, h.topic, h.queue_id, h.commit_offset);
  }

  const int32_t code = PullResponseCodeFor(result.status, h.queue_offset);
  const auto now = std::chrono::steady_clock::now();
  if (code == ResponseCode::PULL_NOT_FOUND && (h.sys_flag & kPullFlagSuspend) != 0 &&
      !writer.oneway() && (!held_until || now < *held_until)) {
    PullRequest parked;
    parked.request = request;
    parked.writer = std::move(writer);
    parked.topic = h.topic;
    parked.queue_id = h.queue_id;
    parked.pull_from_offset = h.queue_offset;
    parked.tags_codes = tags_codes;
    parked.deadline = held_until.value_or(
        now + std::chrono::milliseconds(std::max<int64_t>(0, h.suspend_timeout_millis)));
    hold_.Hold(std::move(parked));
    return;
  }
  if (result.status == GetMessageStatus::kReadError) {
    std::shared_ptr<remoting::Connection> connection = writer.connection();
    spdlog::error("pull of {}-{} at offset {} for {} from {}: {}", h.topic, h.queue_id,
                  h.queue_offset, h.consumer_group, connection ? connection->peer() : "?",
                  result.error.ToString());
  }
  if (writer.oneway()) return;

  RemotingCommand response = MakeBrokerResponse(request, code, RemarkFor(result));
  int64_t next_begin = result.next_begin_offset;
  if (result.status == GetMessageStatus::kNoMessageInQueue ||
      result.status == GetMessageStatus::kNoMatchedLogicQueue) {
    next_begin = 0;
  }
  protocol::EncodeCustomHeader(protocol::PullMessageResponseHeader{.suggest_which_broker_id = 0,
                                                                   .next_begin_offset = next_begin,
                                                                   .min_offset = result.min_offset,
                                                                   .max_offset = result.max_offset},
                               &response);
  if (code == ResponseCode::SUCCESS) {
    response.body.reserve(static_cast<size_t>(result.buffer_total_size));
    for (const std::string& record : result.messages) response.body += record;
  }
  (void)writer.Write(std::move(response));
}

}  // namespace holdfast::broker
