#include "broker/retry_and_dlq.h"

#include <spdlog/spdlog.h>

#include "common/topic_validator.h"
#include "remoting/protocol/mq_version.h"
#include "remoting/protocol/perm_name.h"

namespace holdfast::broker {

using protocol::kPermRead;
using protocol::kPermWrite;
using protocol::TopicConfig;

std::string RetryTopicOf(std::string_view group) {
  return std::string(kRetryGroupTopicPrefix) + std::string(group);
}

std::string DlqTopicOf(std::string_view group) {
  return std::string(kDlqGroupTopicPrefix) + std::string(group);
}

int32_t MaxReconsumeTimes(const protocol::SubscriptionGroupConfig& group, int32_t request_version,
                          std::optional<int32_t> requested) {
  if (request_version >= protocol::kVersionV3_4_9 && requested) return *requested;
  return group.retry_max_times;
}

void NoteFirstFailure(PropertyMap* properties, int64_t now_ms) {
  properties->try_emplace(std::string(property::kHoldfastFirstFailureTime), std::to_string(now_ms));
}

Result<TopicConfig> UsableTopic(const TopicConfigManager& topics, const std::string& topic,
                                Result<CreateTopicResult> created,
                                const std::function<void()>& on_created) {
  if (created.ok()) {
    if (created->created && on_created) on_created();
    return std::move(created->config);
  }
  const Status& error = created.status();
  if (error.IsNotFound() || error.code() == Status::Code::kInvalidArgument) return error;
  // Persisting topics.json failed; the manager keeps the new topic in memory, so serve it: the
  // message is stored like any other, and the topic is written with the next persist of
  // topics.json that succeeds (each writes the whole table). Lost only if the broker stops before
  // then; the next send recreates it, and its queues' messages are still on disk.
  std::optional<TopicConfig> in_memory = topics.SelectTopicConfig(topic);
  if (!in_memory) return error;
  spdlog::warn("auto-created topic {} is served from memory: {}", topic, error.ToString());
  if (on_created) on_created();
  return std::move(*in_memory);
}

Result<TopicConfig> EnsureRetryTopic(TopicConfigManager* topics, std::string_view group,
                                     int32_t queue_nums, int32_t topic_sys_flag,
                                     const std::function<void()>& on_created) {
  const std::string topic = RetryTopicOf(group);
  return UsableTopic(*topics, topic,
                     topics->CreateTopicInSendMessageBackMethod(
                         topic, queue_nums, kPermRead | kPermWrite, topic_sys_flag),
                     on_created);
}

Result<TopicConfig> EnsureDlqTopic(TopicConfigManager* topics, std::string_view group,
                                   const std::function<void()>& on_created) {
  const std::string topic = DlqTopicOf(group);
  return UsableTopic(*topics, topic,
                     topics->CreateTopicInSendMessageBackMethod(topic, kDlqNumsPerGroup,
                                                                kPermRead | kPermWrite, 0),
                     on_created);
}

}  // namespace holdfast::broker
