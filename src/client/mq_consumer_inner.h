// The face a consumer (push or pull) shows the MQClientInstance it registers with (RocketMQ's
// MQConsumerInner). The instance calls these from its scheduled-task thread (heartbeat, route
// refresh, offset persistence, rebalance) and from whichever thread refreshes a route; it never
// calls two of them at once for all consumers (calls are serialised by the instance), and never
// after UnregisterConsumer returned. An implementation must not hold a lock of its own while it
// calls MQClientInstance::UnregisterConsumer, since a call into it may be waiting for that lock.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "client/subscription_data.h"
#include "holdfast/consumer_options.h"
#include "holdfast/message.h"

namespace holdfast::client {

class MQConsumerInner {
 public:
  virtual ~MQConsumerInner() = default;

  virtual std::string GroupName() const = 0;
  virtual MessageModel message_model() const = 0;
  // kConsumePassively (push) or kConsumeActively (pull), see heartbeat_data.h.
  virtual std::string ConsumeType() const = 0;
  virtual ConsumeFromWhere consume_from_where() const = 0;
  // Sent in every heartbeat; a push consumer in CLUSTERING includes %RETRY%<group>.
  virtual std::vector<SubscriptionData> Subscriptions() const = 0;
  virtual void DoRebalance() = 0;
  virtual void PersistConsumerOffset() = 0;
  // The readable queues of `topic` after a route change.
  virtual void UpdateTopicSubscribeInfo(const std::string& topic,
                                        const std::set<MessageQueue>& queues) = 0;
  virtual bool IsSubscribeTopicNeedUpdate(const std::string& topic) const = 0;
};

}  // namespace holdfast::client
