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

// Concurrent listeners. kReconsumeLater (clustering): each message is handed back to a broker,
// which delivers it again through the group's retry topic "%RETRY%<group>" (this consumer
// subscribes to it by itself) on its delay-level schedule: retry n after level 2 + n (10 s, 30 s,
// 1 m, 2 m, ... 2 h with the default messageDelayLevel), with reconsume_times n. First with
// CONSUMER_SEND_MSG_BACK; if the broker refuses, as a new message to the retry topic sent by the
// client itself (same UNIQ_KEY, body and properties; RETRY_TOPIC names the original topic); if
// that fails too, the message is consumed again by this consumer 5 s later. Once reconsume_times
// reaches max_reconsume_times the broker puts it into the dead-letter queue "%DLQ%<group>"
// instead, and it is not delivered to the group again. Broadcasting: consumed again locally.
// In every case the committed offset never passes the message until a broker stored a copy.
enum class ConsumeStatus {
  kConsumeSuccess,
  kReconsumeLater,
};
// Orderly listeners. kSuspendCurrentQueueAMoment: the same messages are given to the listener
// again after suspend_current_queue_time, with reconsume_times + 1, and the queue waits for them.
// After max_reconsume_times retries (by default never) a message goes to the dead-letter queue
// (clustering), and the queue moves on only once a broker stored it there.
enum class ConsumeOrderlyStatus {
  kSuccess,
  kSuspendCurrentQueueAMoment,
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
  // How many times a failed message is retried before it goes to the group's dead-letter queue
  // (clustering). -1: 16 for a concurrent listener, unlimited for an orderly one (RocketMQ's
  // defaults). A concurrent group's limit travels with each send-back; the broker applies it.
  int max_reconsume_times = -1;
  // Orderly: how long a queue waits before its failed batch is given to the listener again.
  std::chrono::milliseconds suspend_current_queue_time{1000};
  std::chrono::milliseconds pull_interval{0};
  // Concurrent, clustering: a listener still running on a message after this long has the
  // message handed back to the broker as if it had returned kReconsumeLater (checked every
  // consume_timeout, so it happens between one and two timeouts after the listener started);
  // the running listener is not interrupted, so the message may be delivered again while the
  // first call still runs (and handed back once more if that call returns kReconsumeLater).
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
