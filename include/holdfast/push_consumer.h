// PushConsumer: subscribes a consumer group to topics and calls a listener with the messages of
// the queues rebalance gives this member (RocketMQ's DefaultMQPushConsumer).
//
// The promise that loses nothing: the offset committed for a queue never passes a message whose
// listener has not returned success. A message is delivered at least once; after a crash or a
// rebalance some may be delivered again (duplicates), none are skipped.
//
// Lifecycle: construct, Subscribe(...), RegisterMessageListener(...), Start(), Shutdown() (also
// by the destructor; it waits for running listeners and commits their offsets). Listeners run on
// the consumer's consume threads (consume_thread_max of them); a concurrent listener may run on
// several threads at once, an orderly listener never runs twice at once for one queue.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "holdfast/consumer_options.h"
#include "holdfast/message.h"
#include "holdfast/status.h"

namespace holdfast {

namespace client {
class PushConsumerImpl;
}

enum class ConsumeStatus {
  kConsumeSuccess,
  kReconsumeLater,  // sent back to the broker's retry topic, redelivered later
};
enum class ConsumeOrderlyStatus {
  kSuccess,
  kSuspendCurrentQueueAMoment,  // the same messages are retried after suspend_current_queue_time
};

// A listener that throws is logged and counts as kReconsumeLater (orderly:
// kSuspendCurrentQueueAMoment), so its messages are delivered again.
using MessageListenerConcurrently =
    std::function<ConsumeStatus(const std::vector<MQMessageExt>& msgs)>;
using MessageListenerOrderly =
    std::function<ConsumeOrderlyStatus(const std::vector<MQMessageExt>& msgs)>;

struct PushConsumerOptions {
  std::string group;
  ClientConfig client;
  MessageModel message_model = MessageModel::kClustering;
  ConsumeFromWhere consume_from_where = ConsumeFromWhere::kConsumeFromLastOffset;
  int64_t consume_timestamp_ms = 0;  // for kConsumeFromTimestamp; 0 = half an hour ago
  AllocateStrategy allocate_strategy = AllocateStrategy::kAveragely;
  int consume_thread_min = 20;
  int consume_thread_max = 20;
  int consume_message_batch_max_size = 1;  // messages per listener call
  int pull_batch_size = 32;
  // Flow control: stop pulling a queue while this many messages / bytes wait for the listener,
  // or while the span between its oldest and newest waiting offsets exceeds the max span.
  int pull_threshold_for_queue = 1000;
  int64_t pull_threshold_size_for_queue_mib = 100;
  int consume_concurrently_max_span = 2000;
  int max_reconsume_times = 16;  // then the message goes to the group's dead-letter queue
  std::chrono::milliseconds suspend_current_queue_time{1000};
  std::chrono::milliseconds pull_interval{0};
  std::chrono::milliseconds consume_timeout{15 * 60 * 1000};
};

class PushConsumer {
 public:
  explicit PushConsumer(PushConsumerOptions options);
  ~PushConsumer();
  PushConsumer(const PushConsumer&) = delete;
  PushConsumer& operator=(const PushConsumer&) = delete;

  // `expression`: "*" for every tag, or "TagA || TagB". Before or after Start().
  Status Subscribe(const std::string& topic, const std::string& expression);
  Status Unsubscribe(const std::string& topic);
  void RegisterMessageListener(MessageListenerConcurrently listener);
  void RegisterMessageListener(MessageListenerOrderly listener);

  // InvalidArgument without a group, a subscription or a listener.
  Status Start();
  void Shutdown();

  // The queues rebalance currently gives this consumer for `topic`.
  std::vector<MessageQueue> AssignedQueues(const std::string& topic) const;
  // This consumer's id as brokers know it ("ip@instanceName").
  std::string ClientId() const;

 private:
  std::unique_ptr<client::PushConsumerImpl> impl_;
};

}  // namespace holdfast
