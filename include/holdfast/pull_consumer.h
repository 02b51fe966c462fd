// PullConsumer: the application polls batches and commits offsets itself or automatically
// (RocketMQ's DefaultLitePullConsumer). Either Subscribe (the group shares the queues by
// rebalance) or Assign (these queues, no rebalance).
//
// Offsets: Poll() returns messages in queue order; CommitSync() commits, per queue, the offset
// after the last message Poll() returned. With auto_commit, messages returned by one Poll() are
// committed by a later Poll() (or Shutdown()), so everything returned before a crash is seen
// again only if the application did not get to poll again.
//
// Thread safety: one thread polls; Subscribe/Assign/Seek/CommitSync/Shutdown may come from any.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "holdfast/consumer_options.h"
#include "holdfast/message.h"
#include "holdfast/status.h"

namespace holdfast {

namespace client {
class PullConsumerImpl;
}

struct PullConsumerOptions {
  std::string group;
  ClientConfig client;
  MessageModel message_model = MessageModel::kClustering;
  ConsumeFromWhere consume_from_where = ConsumeFromWhere::kConsumeFromLastOffset;
  int64_t consume_timestamp_ms = 0;
  AllocateStrategy allocate_strategy = AllocateStrategy::kAveragely;
  bool auto_commit = true;
  std::chrono::milliseconds auto_commit_interval{5000};
  int pull_batch_size = 10;
  int pull_threads_nums = 20;
  int pull_threshold_for_queue = 1000;
  std::chrono::milliseconds poll_timeout{5000};
};

class PullConsumer {
 public:
  explicit PullConsumer(PullConsumerOptions options);
  ~PullConsumer();
  PullConsumer(const PullConsumer&) = delete;
  PullConsumer& operator=(const PullConsumer&) = delete;

  Status Subscribe(const std::string& topic, const std::string& expression);
  Status Assign(const std::vector<MessageQueue>& queues);
  Status Start();
  void Shutdown();

  // Waits up to `timeout` for messages and returns the next pulled batch (each queue's messages
  // in queue order); an empty vector when none arrived and nothing is wrong. Errors:
  // Unavailable when the consumer is not running (before Start, after or during Shutdown); and,
  // when no message arrived within `timeout`, the error of the latest failed pull of an assigned
  // queue (broker unreachable or refusing, no route to its broker, its start offset unknown),
  // as long as that queue has not pulled successfully since. Pulls keep being retried in the
  // background either way, so a later Poll may return messages again.
  Result<std::vector<MQMessageExt>> Poll(std::chrono::milliseconds timeout);
  Result<std::vector<MQMessageExt>> Poll();  // options.poll_timeout

  Status CommitSync();
  // The next Poll() on `queue` starts at `offset`.
  Status Seek(const MessageQueue& queue, int64_t offset);
  Result<int64_t> Committed(const MessageQueue& queue);
  Result<std::vector<MessageQueue>> FetchMessageQueues(const std::string& topic);
  std::vector<MessageQueue> Assignment() const;

 private:
  std::unique_ptr<client::PullConsumerImpl> impl_;
};

}  // namespace holdfast
