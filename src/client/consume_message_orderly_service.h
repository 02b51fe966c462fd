// ConsumeMessageOrderlyService (RocketMQ's): one queue's messages reach the listener one batch at
// a time, in queue order, and only while this client holds the queue's lock on the broker
// (clustering; docs/protocol.md §8.10).
//
// Locks: rebalance takes a queue only when LOCK_BATCH_MQ grants it; this service renews every
// held lock every 20 s (RebalanceImpl::LockAll) and, when a queue's lock is missing or older than
// 30 s, locks it again before consuming (retrying every 3 s while another client holds it).
// Outcomes: kSuccess commits the batch (offset = its last + 1). kSuspendCurrentQueueAMoment puts
// the batch back and retries it here after suspend_current_queue_time, with reconsumeTimes + 1
// (the broker is not involved). Once a message's reconsumeTimes reaches OrderlyMaxReconsumeTimes
// (max_reconsume_times; -1, the default, means INT32_MAX: retried for ever) it is handed to the
// group's DLQ (clustering only) by HandBackToBroker:
//  1. CONSUMER_SEND_MSG_BACK with delay level -1, which 4.9.7 and Holdfast brokers store straight
//     into "%DLQ%<group>" (docs/protocol.md §8.3 step 5). No DELAY property is involved, so it
//     works on a broker without delayed delivery, and it needs no retry-topic rule;
//  2. if that fails, RocketMQ 4.9.7's own way: a new message to "%RETRY%<group>" with
//     reconsumeTimes unchanged (>= max), which the broker's send path routes to the DLQ;
// and committed past only if one of them stored it; otherwise it keeps being retried locally.
// The queue does not move on meanwhile.
//
// Threads: see consume_message_service.h. A per-queue mutex keeps one request per queue running;
// the ProcessQueue's consume_mutex is held around each listener call so that rebalance drops an
// orderly queue only between batches.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>

#include "client/consume_message_service.h"
#include "client/thread_pool.h"
#include "holdfast/push_consumer.h"

namespace holdfast::client {

class ConsumeMessageOrderlyService : public ConsumeMessageService {
 public:
  // How long one request may keep consuming a queue before yielding the thread.
  static constexpr std::chrono::milliseconds kMaxTimeConsumeContinuously{60'000};

  ConsumeMessageOrderlyService(ConsumeServiceContext context, MessageListenerOrderly listener);
  ~ConsumeMessageOrderlyService() override;

  // Starts the 20 s lock renewal (clustering).
  void Start() override;
  void Shutdown() override;
  void SubmitConsumeRequest(std::vector<MQMessageExt> msgs, std::shared_ptr<ProcessQueue> pq,
                            const MessageQueue& mq, bool dispatch_to_consume) override;

 private:
  void Consume(const std::shared_ptr<ProcessQueue>& pq, const MessageQueue& mq);
  // True to continue with the next batch.
  bool ProcessConsumeResult(ConsumeOrderlyStatus status, std::vector<MQMessageExt> msgs,
                            const std::shared_ptr<ProcessQueue>& pq, const MessageQueue& mq);
  void SubmitConsumeRequestLater(std::shared_ptr<ProcessQueue> pq, const MessageQueue& mq,
                                 std::chrono::milliseconds delay);
  void TryLockLaterAndReconsume(std::shared_ptr<ProcessQueue> pq, const MessageQueue& mq,
                                std::chrono::milliseconds delay);
  void LockPeriodically();
  std::shared_ptr<std::mutex> QueueLock(const MessageQueue& mq);

  // Constant after construction.
  const ConsumeServiceContext context_;
  const MessageListenerOrderly listener_;

  ThreadPool pool_;
  std::atomic<bool> stopped_{false};

  std::mutex locks_mu_;
  std::map<MessageQueue, std::shared_ptr<std::mutex>> queue_locks_;  // guarded by locks_mu_
};

}  // namespace holdfast::client
