// The face a consumer (push or pull) shows the MQClientInstance it registers with (RocketMQ's
// MQConsumerInner).
//
// Who calls, and when: the instance's scheduled-task thread (heartbeat, route refresh, offset
// persistence, rebalance) and any thread that refreshes a route through the instance. The instance
// serialises these calls (one at a time across all its consumers and producers, under its
// recursive call mutex) and makes none after UnregisterConsumer returned.
//
// What that asks of an implementation:
//  * never hold a lock of your own while calling an MQClientInstance method that may call back
//    (Register*/Unregister*, UpdateTopicRouteInfoFromNameServer, FindBrokerAddrByTopic,
//    FindConsumerIdList, SendHeartbeatToAllBrokers): another thread may be inside one of these
//    methods of yours, waiting for that lock, while holding the instance's call mutex;
//  * calls may nest: DoRebalance may call FindConsumerIdList, which may refresh a route and so
//    call UpdateTopicSubscribeInfo on the same thread before DoRebalance returns.
//
// Starting a consumer as RocketMQ does: RegisterConsumer, UpdateTopicRouteInfoFromNameServer for
// each subscribed topic, SendHeartbeatToAllBrokers, then RebalanceImmediately.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "client/subscription_data.h"
#include "holdfast/consumer_options.h"
#include "holdfast/message.h"
#include "remoting/protocol/heartbeat_data.h"

namespace holdfast::client {

class MQConsumerInner {
 public:
  virtual ~MQConsumerInner() = default;

  virtual std::string GroupName() const = 0;
  virtual MessageModel message_model() const = 0;
  // CONSUME_PASSIVELY (push) or CONSUME_ACTIVELY (pull).
  virtual protocol::ConsumeType ConsumeType() const = 0;
  virtual ConsumeFromWhere consume_from_where() const = 0;
  // Sent in every heartbeat; a push consumer in CLUSTERING includes %RETRY%<group>.
  virtual std::vector<SubscriptionData> Subscriptions() const = 0;
  virtual void DoRebalance() = 0;
  virtual void PersistConsumerOffset() = 0;
  // The readable queues of `topic` (one it subscribes to) after a route change, or when
  // IsSubscribeTopicNeedUpdate(topic) said it has none yet.
  virtual void UpdateTopicSubscribeInfo(const std::string& topic,
                                        const std::set<MessageQueue>& queues) = 0;
  virtual bool IsSubscribeTopicNeedUpdate(const std::string& topic) const = 0;
};

}  // namespace holdfast::client
