// ConsumerCore: what the push consumer (PushConsumerImpl) and the lite pull consumer
// (PullConsumerImpl) share, as their common base. RocketMQ writes it twice, in
// DefaultMQPushConsumerImpl and DefaultLitePullConsumerImpl. It holds:
//  * the MQConsumerInner answers that are the same for both (group, model, subscriptions, topic
//    route updates); the derived consumer gives ConsumeType, DoRebalance and
//    PersistConsumerOffset, and the RebalanceDelegate methods;
//  * the subscription table;
//  * the parts wired up at Start(): the shared client instance, the broker calls over it, the
//    offset store (loaded) and the rebalance engine (reporting to this consumer as its delegate).
//    They are null before Start() and constant after it; they are declared in dependency order,
//    so the rebalance engine goes first on destruction, after every member of the derived class;
//  * the start-once lifecycle (lifecycle_mu_, running_) and the steps of joining and leaving the
//    instance, in RocketMQ's order (register, start the instance, fetch the subscribed topics'
//    routes, heartbeat; the derived consumer then rebalances).
//
// Threads: the instance calls the MQConsumerInner methods on its scheduled thread (see the lock
// rules in mq_consumer_inner.h: no method here holds a lock of its own while calling the
// instance). The subscription table is thread-safe; everything else follows the derived class.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "client/instance_consumer_broker_api.h"
#include "client/mq_client_api.h"
#include "client/mq_client_instance.h"
#include "client/mq_consumer_inner.h"
#include "client/offset_store.h"
#include "client/rebalance_impl.h"
#include "client/subscription_table.h"
#include "holdfast/client_config.h"

namespace holdfast::client {

// The rebalance settings of a consumer's options (PushConsumerOptions or PullConsumerOptions).
template <typename ConsumerOptions>
RebalanceOptions RebalanceOptionsOf(const ConsumerOptions& o, bool push) {
  return RebalanceOptions{.group = o.group,
                          .message_model = o.message_model,
                          .consume_from_where = o.consume_from_where,
                          .consume_timestamp_ms = o.consume_timestamp_ms,
                          .allocate_strategy = o.allocate_strategy,
                          .push = push};
}

// The option checks both consumers make: InvalidArgument naming `kind` ("push consumer"), the group
// and the field when pull_batch_size is outside [1, 1024] or pull_threshold_for_queue below 1.
Status CheckPullSettings(const std::string& kind, const std::string& group, int pull_batch_size,
                         int pull_threshold_for_queue);

class ConsumerCore : public MQConsumerInner, public RebalanceDelegate {
 public:
  // How long the broker may hold a pull open (suspendTimeoutMillis), and how long a queue waits
  // for its next pull while it holds too much (RocketMQ's values for both consumers).
  static constexpr std::chrono::milliseconds kBrokerSuspendMaxTime{15'000};
  static constexpr std::chrono::milliseconds kPullTimeDelayWhenFlowControl{50};

  // MQConsumerInner, the same for both consumers.
  std::string GroupName() const final { return rebalance_options_.group; }
  MessageModel message_model() const final { return rebalance_options_.message_model; }
  ConsumeFromWhere consume_from_where() const final {
    return rebalance_options_.consume_from_where;
  }
  std::vector<SubscriptionData> Subscriptions() const final { return subscriptions_.All(); }
  void UpdateTopicSubscribeInfo(const std::string& topic,
                                const std::set<MessageQueue>& queues) final;
  bool IsSubscribeTopicNeedUpdate(const std::string& topic) const final;

 protected:
  // `kind` names the consumer in errors and logs ("push consumer").
  ConsumerCore(std::string kind, ClientConfig client, RebalanceOptions rebalance_options);

  const std::string& group() const { return rebalance_options_.group; }
  bool running() const { return running_.load(); }

  // Start(), first step, under lifecycle_mu_: InvalidArgument when this consumer was started
  // before (a consumer starts once; create a new one).
  Status CheckFirstStart() const;
  // Start(), under lifecycle_mu_ once the options were checked: marks the consumer started and
  // wires up the parts (an error: a broken local offset file, for broadcasting).
  Status CreateParts();
  // Start(), under lifecycle_mu_ once the consumer can serve the instance's calls (running_ set):
  // registers with the instance and starts it, fetches the routes of the subscribed topics and
  // sends a heartbeat. When the instance refuses the registration (this group is
  // registered already under this client id), running_ goes false, `undo` runs (stop what was
  // started) and the instance is released; its error comes back.
  Status JoinInstance(const std::function<void()>& undo);
  // Shutdown(), last step: unregisters from the instance and releases this consumer's use of it.
  void LeaveInstance();

  // Takes `subscription` (replacing one to the same topic); while running, fetches the topic's
  // route, heartbeats and asks the instance for a rebalance at once.
  void AddSubscription(SubscriptionData subscription);
  // Hands the rebalance engine the readable queues of `topic` from the instance's route table.
  void RefreshSubscribeInfo(const std::string& topic);
  // Rebalances every subscribed topic, fetching the queues of those the engine has none for.
  void RebalanceSubscribedTopics(bool orderly);
  // A queue this consumer no longer holds: persists its offset and forgets it locally.
  void ForgetQueueOffset(const MessageQueue& mq);

  // A long-polling pull of `mq` from `offset` filtered by `subscription` (SUSPEND |
  // SUBSCRIPTION, docs/protocol.md §4.2); the push consumer adds COMMIT_OFFSET.
  PullMessageRequestHeader PullHeader(const MessageQueue& mq, int64_t offset, int max_msg_nums,
                                      const SubscriptionData& subscription) const;
  // The messages of a pull that pass the subscription's tags: brokers filter by tag hash code,
  // and two tags may share one.
  static std::vector<MQMessageExt> KeepMatching(const SubscriptionData& subscription,
                                                std::vector<MQMessageExt>& pulled);

  // Constant after construction.
  const std::string kind_;
  const ClientConfig client_;
  const RebalanceOptions rebalance_options_;

  // Set by CreateParts(), constant after it.
  std::shared_ptr<MQClientInstance> instance_;
  std::unique_ptr<InstanceConsumerBrokerApi> broker_api_;
  std::unique_ptr<OffsetStore> offset_store_;
  std::unique_ptr<RebalanceImpl> rebalance_;

  std::mutex lifecycle_mu_;  // serialises Start and Shutdown
  std::atomic<bool> running_{false};
  bool started_once_ = false;  // guarded by lifecycle_mu_

  SubscriptionTable subscriptions_;
};

}  // namespace holdfast::client
