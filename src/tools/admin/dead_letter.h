// Dead letters as the admin commands see them: the messages in a consumer group's dead-letter
// queue, topic %DLQ%<group> (1 queue per broker, docs/protocol.md §8.3), on every master that has
// one. A dead letter is a message whose consumption failed past the group's max reconsume times;
// send-back stored it there with the bookkeeping its retries gathered:
//  * UNIQ_KEY, the producer's message id, unchanged across retries (the msgId shown);
//  * RETRY_TOPIC, the topic it was first sent to; ORIGIN_MESSAGE_ID, its first broker-side id;
//  * HOLDFAST_FIRST_FAILURE_TIME (ms), set by Holdfast's send-back on the first failure;
//  * the record's reconsumeTimes, and its store time, which is the last failure.
// Any of these may be missing (a dead letter from another broker or an older version): the
// accessors say so with nullopt, the commands print "unknown".
//
// Nothing here changes the DLQ: RocketMQ never removes a dead letter (a resend stores a copy),
// so a DLQ's depth counts every letter it ever took, until the commit log's retention removes it.
//
// Functions of an AdminContext; same threading as it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/message.h"
#include "remoting/protocol/topic_stats_table.h"
#include "tools/admin/admin_context.h"

namespace holdfast::tools::admin {

std::string DlqTopic(std::string_view group);    // %DLQ%<group>
std::string RetryTopic(std::string_view group);  // %RETRY%<group>

// One broker's DLQ of a group.
struct DeadLetterQueue {
  std::string broker_name{};
  std::string broker_addr{};
  protocol::TopicStatsTable stats{};  // its queues' offset ranges
  int64_t depth = 0;                  // messages in it: max - min offset
};

// The DLQs of `group` on every master the name servers know, by broker name; empty when no
// broker has one. InvalidArgument for a name that cannot be a group.
Result<std::vector<DeadLetterQueue>> FindDeadLetterQueues(AdminContext& ctx,
                                                          const std::string& group);

struct DeadLetter {
  std::string broker_name{};  // where it is stored
  std::string broker_addr{};
  MessageExt record{};  // as stored in %DLQ%<group>, body uncompressed

  // The producer's id (UNIQ_KEY); the record's offsetMsgId when it has none.
  std::string MsgId() const;
  // The record's own id: store host and commit-log offset. Unique among all dead letters, also
  // when a message dies, is resent and dies again (those share a MsgId).
  std::string DlqMsgId() const;
  std::optional<std::string> OriginalTopic() const;    // RETRY_TOPIC
  std::optional<std::string> OriginMessageId() const;  // ORIGIN_MESSAGE_ID
  std::optional<int64_t> FirstFailureTime() const;     // HOLDFAST_FIRST_FAILURE_TIME, ms
  int64_t LastFailureTime() const { return record.store_timestamp; }
  // At most `max_chars` characters of the body, bytes outside printable ASCII shown as '.',
  // and "..." when cut.
  std::string BodyPreview(size_t max_chars = 32) const;
};

// Every dead letter in `dlq`, in queue order.
Result<std::vector<DeadLetter>> ReadDeadLetters(AdminContext& ctx, const DeadLetterQueue& dlq);

// Every dead letter of `group` on every broker, broker by broker.
Result<std::vector<DeadLetter>> ReadDeadLetters(AdminContext& ctx, const std::string& group);

}  // namespace holdfast::tools::admin
