// RebalanceImpl (RocketMQ's): decides which MessageQueues of its subscribed topics this consumer
// holds, and keeps one ProcessQueue per held queue (docs/protocol.md §8.10).
//
// Per topic: clustering takes the topic's readable queues (from the route), the group's member
// ids (GET_CONSUMER_LIST_BY_GROUP), sorts both and lets the AllocateMessageQueueStrategy pick this
// client's share; broadcasting takes every queue. Then UpdateProcessQueueTableInRebalance drops
// the queues no longer ours (the delegate persists their offset; orderly consumers unlock them)
// and adds the new ones, each starting at its committed offset or, when the group has none, where
// ConsumeFromWhere says; each new queue gets a PullRequest.
//
// Threads: DoRebalance runs on the client instance's scheduled thread; the table is read by pull
// and consume threads. Every method is thread-safe; rebalances are serialised inside, and the
// delegate is called without the table's lock held. The api, offset store and delegate must
// outlive this object.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "client/allocate_message_queue_strategy.h"
#include "client/consumer_broker_api.h"
#include "client/offset_store.h"
#include "client/process_queue.h"
#include "client/pull_request.h"
#include "holdfast/consumer_options.h"

namespace holdfast::client {

// What differs between the push and the lite pull consumer (RebalancePushImpl /
// RebalanceLitePullImpl).
class RebalanceDelegate {
 public:
  virtual ~RebalanceDelegate() = default;
  // `mq` is no longer this consumer's and its ProcessQueue is already marked dropped. Return false
  // to keep it in the table and try again next rebalance (an orderly listener is still running).
  virtual bool RemoveUnnecessaryMessageQueue(const MessageQueue& mq, ProcessQueue& pq) = 0;
  // Pull requests for newly taken queues.
  virtual void DispatchPullRequests(std::vector<PullRequest> requests) = 0;
  // The allocation of `topic` changed (all queues, this consumer's share).
  virtual void MessageQueueChanged(const std::string& /*topic*/,
                                   const std::set<MessageQueue>& /*all*/,
                                   const std::set<MessageQueue>& /*mine*/) {}
};

struct RebalanceOptions {
  std::string group;
  MessageModel message_model = MessageModel::kClustering;
  ConsumeFromWhere consume_from_where = ConsumeFromWhere::kConsumeFromLastOffset;
  int64_t consume_timestamp_ms = 0;  // 0 = half an hour before the queue is taken
  AllocateStrategy allocate_strategy = AllocateStrategy::kAveragely;
  bool push = true;  // push consumers also drop queues not pulled for kPullMaxIdleTime
};

class RebalanceImpl {
 public:
  RebalanceImpl(RebalanceOptions options, ConsumerBrokerApi* api, OffsetStore* offset_store,
                RebalanceDelegate* delegate);

  // The readable queues of `topic` from its latest route.
  void SetTopicSubscribeInfo(const std::string& topic, const std::set<MessageQueue>& queues);
  bool HasTopicSubscribeInfo(const std::string& topic) const;
  std::set<MessageQueue> TopicSubscribeInfo(const std::string& topic) const;

  // Rebalances every topic of `topics`; queues of other topics are dropped. `orderly` clustering
  // consumers take a new queue only when LOCK_BATCH_MQ grants it; every orderly ProcessQueue
  // starts out locked (broadcasting ones need no broker lock).
  void DoRebalance(const std::set<std::string>& topics, bool orderly);

  // The start offset of a newly taken queue (RocketMQ's computePullFromWhere): the committed
  // offset, else by ConsumeFromWhere (retry topics: 0 for LAST, max for TIMESTAMP). An error when
  // the broker could not tell.
  Result<int64_t> ComputePullFromWhere(const MessageQueue& mq);

  std::shared_ptr<ProcessQueue> FindProcessQueue(const MessageQueue& mq) const;
  std::map<MessageQueue, std::shared_ptr<ProcessQueue>> ProcessQueueTable() const;
  std::set<MessageQueue> AssignedQueues(const std::string& topic) const;
  // Drops one queue now (its offset was illegal): marks it dropped, lets the delegate persist it,
  // and removes it so the next rebalance takes it afresh.
  void RemoveProcessQueue(const MessageQueue& mq);
  // Drops every queue (shutdown), persisting through the delegate.
  void DropAll();

  // Orderly: LOCK_BATCH_MQ for one queue; marks its ProcessQueue locked. True when granted.
  bool Lock(const MessageQueue& mq);
  // Orderly: renews the locks of every held queue, marking each ProcessQueue locked or not.
  void LockAll();
  void Unlock(const MessageQueue& mq, bool oneway);
  void UnlockAll(bool oneway);

  const RebalanceOptions& options() const { return options_; }

 private:
  void RebalanceByTopic(const std::string& topic, bool orderly);
  // True when the table changed.
  bool UpdateProcessQueueTableInRebalance(const std::string& topic,
                                          const std::set<MessageQueue>& mqs, bool orderly);
  void TruncateMessageQueueNotMyTopic(const std::set<std::string>& topics);
  // Marks pq dropped and asks the delegate; removes the entry when it agrees.
  bool DropQueue(const MessageQueue& mq, const std::shared_ptr<ProcessQueue>& pq);

  // Constant after construction.
  const RebalanceOptions options_;
  ConsumerBrokerApi* const api_;
  OffsetStore* const offset_store_;
  RebalanceDelegate* const delegate_;
  const std::unique_ptr<AllocateMessageQueueStrategy> strategy_;

  std::mutex rebalance_mu_;  // serialises DoRebalance / DropAll

  mutable std::mutex mu_;
  std::map<std::string, std::set<MessageQueue>> topic_subscribe_info_;         // guarded by mu_
  std::map<MessageQueue, std::shared_ptr<ProcessQueue>> process_queue_table_;  // guarded by mu_
};

// "%RETRY%<group>" topics start differently (docs/protocol.md §8.10).
bool IsRetryTopic(const std::string& topic);
std::string RetryTopic(const std::string& group);

}  // namespace holdfast::client
