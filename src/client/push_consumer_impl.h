// PushConsumerImpl (RocketMQ's DefaultMQPushConsumerImpl): the engine behind
// holdfast::PushConsumer. It registers with the shared MQClientInstance as an MQConsumerInner
// (through ConsumerCore, the plumbing it shares with the lite pull consumer), rebalances its
// topics' queues (RebalanceImpl, as its RebalanceDelegate), pulls each held queue with long polling
// (PullMessageService) and hands what arrives to the consume service.
//
// Pulls (docs/protocol.md §4.2, §8.8): SUSPEND with suspendTimeoutMillis 15 s and an RPC timeout of
// 30 s; SUBSCRIPTION (the expression travels with each pull, so the broker filters even before it
// has seen a heartbeat); COMMIT_OFFSET with the in-memory committed offset when there is one. FOUND
// -> tag re-filter (brokers filter by hash), ProcessQueue, consume service, next pull at once (or
// after pull_interval). NO_NEW_MSG / NO_MATCHED_MSG -> pull again from nextBeginOffset (committing
// it when nothing is waiting). OFFSET_ILLEGAL -> the queue is dropped, its offset set to
// nextBeginOffset and persisted, and rebalance takes it afresh. Errors -> retry after 3 s. Flow
// control: while a queue holds pull_threshold_for_queue messages, or
// pull_threshold_size_for_queue_mib, or (concurrent) a span above consume_concurrently_max_span,
// its next pull waits 50 ms.
//
// Threads: the instance's scheduled thread (rebalance, offset persistence), the pull service
// thread, the client's io thread (pull callbacks: never block), the consume threads and one
// scheduler thread. Public methods are thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "client/callback_guard.h"
#include "client/consume_message_service.h"
#include "client/consumer_core.h"
#include "client/pull_message_service.h"
#include "client/pull_result.h"
#include "client/scheduled_executor.h"
#include "holdfast/push_consumer.h"

namespace holdfast::client {

class PushConsumerImpl : public ConsumerCore {
 public:
  static constexpr std::chrono::milliseconds kConsumerTimeoutWhenSuspend{30'000};
  static constexpr std::chrono::milliseconds kPullTimeDelayWhenException{3'000};

  explicit PushConsumerImpl(PushConsumerOptions options);
  ~PushConsumerImpl() override;

  Status Subscribe(const std::string& topic, const std::string& expression);
  Status Unsubscribe(const std::string& topic);
  void RegisterMessageListener(MessageListenerConcurrently listener);
  void RegisterMessageListener(MessageListenerOrderly listener);
  Status Start();
  void Shutdown();
  std::vector<MessageQueue> AssignedQueues(const std::string& topic) const;
  std::string ClientId() const;

  // MQConsumerInner (the rest is ConsumerCore's)
  protocol::ConsumeType ConsumeType() const override;
  void DoRebalance() override;
  void PersistConsumerOffset() override;

  // RebalanceDelegate
  bool RemoveUnnecessaryMessageQueue(const MessageQueue& mq, ProcessQueue& pq) override;
  void DispatchPullRequests(std::vector<PullRequest> requests) override;

 private:
  bool orderly() const { return std::holds_alternative<MessageListenerOrderly>(listener_); }
  void PullMessage(PullRequest request);
  void OnPullResult(PullRequest request, const SubscriptionData& subscription,
                    Result<PullResult> result);
  void ExecutePullRequestLater(PullRequest request, std::chrono::milliseconds delay);
  void ShutdownServices();

  // Constant after construction.
  const PushConsumerOptions options_;

  // Set before Start(), constant after it.
  std::variant<std::monostate, MessageListenerConcurrently, MessageListenerOrderly> listener_;
  std::unique_ptr<ScheduledExecutor> scheduler_;
  std::unique_ptr<ConsumeMessageService> consume_service_;
  std::unique_ptr<PullMessageService> pull_service_;
  // Pull callbacks reach the consumer through it; Shutdown() detaches it, so no callback touches
  // the consumer after Shutdown() returned.
  std::shared_ptr<CallbackGuard<PushConsumerImpl>> guard_ =
      std::make_shared<CallbackGuard<PushConsumerImpl>>();
};

}  // namespace holdfast::client
