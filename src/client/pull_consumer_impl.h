// PullConsumerImpl (RocketMQ's DefaultLitePullConsumerImpl): the engine behind
// holdfast::PullConsumer. Each assigned queue has a chain of asynchronous long-polling pulls that
// fills one bounded buffer of pulled batches; Poll() takes batches from it in arrival order (so
// each queue's messages come in queue order). Subscribe mode lets RebalanceImpl choose the queues
// (this is its RebalanceDelegate); Assign mode fixes them.
//
// Offsets: a queue's consume offset is the offset after the last message Poll() returned for it
// (ProcessQueue::RemoveMessages over what is still buffered). CommitSync() and auto-commit copy
// the consume offsets into the OffsetStore and persist them (UPDATE_CONSUMER_OFFSET, oneway, as
// RocketMQ does). Seek() replaces the queue's ProcessQueue, so batches pulled before it are
// discarded, and restarts its pulls at the new offset.
//
// Threads: the instance's scheduled thread (rebalance, offset persistence); the client's io
// thread runs pull callbacks (they never block); one scheduler thread issues every pull (so a
// reconnect never blocks the io thread), so options.pull_threads_nums is not used. Poll() from
// one thread; everything else thread-safe. Committed() is NotFound when the group has no offset.
//
// Errors: a queue whose pull (or start) failed is kept in failing_ with that error until it pulls
// successfully or is unassigned; Poll() returns such an error when no message arrived in time,
// so an application can tell "nothing to read" from "cannot read".
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "client/callback_guard.h"
#include "client/consumer_core.h"
#include "client/pull_result.h"
#include "client/scheduled_executor.h"
#include "holdfast/pull_consumer.h"

namespace holdfast::client {

class PullConsumerImpl : public ConsumerCore {
 public:
  static constexpr std::chrono::milliseconds kPullTimeout{30'000};
  static constexpr std::chrono::milliseconds kPullTimeDelayWhenException{1'000};

  explicit PullConsumerImpl(PullConsumerOptions options);
  ~PullConsumerImpl() override;

  Status Subscribe(const std::string& topic, const std::string& expression);
  Status Assign(const std::vector<MessageQueue>& queues);
  Status Start();
  void Shutdown();
  Result<std::vector<MQMessageExt>> Poll(std::chrono::milliseconds timeout);
  Status CommitSync();
  Status Seek(const MessageQueue& queue, int64_t offset);
  Result<int64_t> Committed(const MessageQueue& queue);
  Result<std::vector<MessageQueue>> FetchMessageQueues(const std::string& topic);
  std::vector<MessageQueue> Assignment() const;
  const PullConsumerOptions& options() const { return options_; }

  // MQConsumerInner (the rest is ConsumerCore's)
  protocol::ConsumeType ConsumeType() const override;
  void DoRebalance() override;
  void PersistConsumerOffset() override;

  // RebalanceDelegate
  bool RemoveUnnecessaryMessageQueue(const MessageQueue& mq, ProcessQueue& pq) override;
  void DispatchPullRequests(std::vector<PullRequest> requests) override;

 private:
  enum class Mode { kUnset, kSubscribe, kAssign };

  // One assigned queue. A new ProcessQueue (Seek, re-assignment) starts a new pull chain; a
  // callback whose ProcessQueue is no longer the queue's is stale and ends its chain.
  struct QueueState {
    std::shared_ptr<ProcessQueue> pq;
    int64_t pull_offset = 0;      // the next offset to pull
    int64_t consume_offset = -1;  // after the last polled message; -1 = nothing to commit
  };
  struct PulledBatch {
    MessageQueue mq;
    std::shared_ptr<ProcessQueue> pq;
    std::vector<MQMessageExt> msgs;
  };
  // Takes `mq` from `offset` with a fresh ProcessQueue and starts its pulls.
  void StartQueue(const MessageQueue& mq, std::shared_ptr<ProcessQueue> pq, int64_t offset);
  void StopQueue(const MessageQueue& mq);
  void ApplyAssignment();
  void SchedulePull(const MessageQueue& mq, std::shared_ptr<ProcessQueue> pq,
                    std::chrono::milliseconds delay);
  void PullOnce(const MessageQueue& mq, const std::shared_ptr<ProcessQueue>& pq);
  void OnPullResult(const MessageQueue& mq, const std::shared_ptr<ProcessQueue>& pq,
                    const SubscriptionData& subscription, Result<PullResult> result);
  void CommitAll();
  // Records a failed pull of `mq` in failing_, unless `pq`'s chain is stale.
  void NotePullFailure(const MessageQueue& mq, const std::shared_ptr<ProcessQueue>& pq,
                       const Status& status);

  // Constant after construction.
  const PullConsumerOptions options_;

  // Set by Start(), constant after it.
  std::unique_ptr<ScheduledExecutor> scheduler_;
  // Pull callbacks reach the consumer through it; Shutdown() detaches it.
  std::shared_ptr<CallbackGuard<PullConsumerImpl>> guard_ =
      std::make_shared<CallbackGuard<PullConsumerImpl>>();

  mutable std::mutex mu_;
  Mode mode_ = Mode::kUnset;                                // guarded by mu_
  std::set<MessageQueue> assigned_;                         // guarded by mu_: Assign mode's queues
  std::map<MessageQueue, QueueState> queues_;               // guarded by mu_
  std::deque<PulledBatch> buffer_;                          // guarded by mu_
  std::map<MessageQueue, Status> failing_;                  // guarded by mu_: latest errors
  std::condition_variable buffer_cv_;                       // signalled on buffer_ and running_
  std::chrono::steady_clock::time_point next_auto_commit_;  // guarded by mu_
};

}  // namespace holdfast::client
