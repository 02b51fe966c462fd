// The broker's rules for a message a consumer failed to consume (docs/protocol.md §8.3), shared by
// the two ways such a message comes back: CONSUMER_SEND_MSG_BACK (ConsumerSendMsgBackProcessor)
// and a send straight to %RETRY%<group>, the client's fallback (SendMessageProcessor; RocketMQ's
// handleRetryAndDLQ). Both decide "retry or dead letter" by the same max reconsume times, create
// the %RETRY% and %DLQ% topics the same way, and stamp HOLDFAST_FIRST_FAILURE_TIME the same way.
//
// Stateless functions; thread-safe as the managers they are handed are.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "broker/topic_config_manager.h"
#include "common/message.h"
#include "common/status.h"
#include "remoting/protocol/subscription_group_config.h"
#include "remoting/protocol/topic_config.h"

namespace holdfast::broker {

// RocketMQ's DLQ_NUMS_PER_GROUP: a DLQ topic has one queue, perm read + write (4.9.7).
inline constexpr int32_t kDlqNumsPerGroup = 1;

std::string RetryTopicOf(std::string_view group);  // %RETRY%<group>
std::string DlqTopicOf(std::string_view group);    // %DLQ%<group>

// How many times a message of `group` may be consumed again before it goes to the DLQ: the
// request's value when the sender is at V3_4_9 or later and gave one (docs/protocol.md §8.3),
// else the group's retryMaxTimes (16 by default).
int32_t MaxReconsumeTimes(const protocol::SubscriptionGroupConfig& group, int32_t request_version,
                          std::optional<int32_t> requested);

// Sets HOLDFAST_FIRST_FAILURE_TIME to now_ms unless the message already has one: the first
// failure's time survives every later retry and the DLQ.
void NoteFirstFailure(PropertyMap* properties, int64_t now_ms);

// The config of `topic` after a CreateTopicIn*Method call returned `created`. When only persisting
// topics.json failed, the manager kept the topic in memory, so it is served from there (a warning
// is logged; the next persist that succeeds writes it). `on_created` runs when the topic is new.
// Otherwise the creation's error (NotFound: no template to create it from; InvalidArgument: a bad
// name; or the persist error when the topic is not in memory either).
Result<protocol::TopicConfig> UsableTopic(const TopicConfigManager& topics,
                                          const std::string& topic,
                                          Result<CreateTopicResult> created,
                                          const std::function<void()>& on_created);

// %RETRY%<group> with `queue_nums` queues, perm read + write (RocketMQ's
// createTopicInSendMessageBackMethod), or the existing one.
Result<protocol::TopicConfig> EnsureRetryTopic(TopicConfigManager* topics, std::string_view group,
                                               int32_t queue_nums, int32_t topic_sys_flag,
                                               const std::function<void()>& on_created);
// %DLQ%<group>: kDlqNumsPerGroup queue, perm read + write, or the existing one.
Result<protocol::TopicConfig> EnsureDlqTopic(TopicConfigManager* topics, std::string_view group,
                                             const std::function<void()>& on_created);

}  // namespace holdfast::broker
