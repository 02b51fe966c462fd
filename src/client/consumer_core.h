// What every consumer wires up at Start(), in one place: the client instance it shares, the broker
// calls over it, its offset store (loaded) and its rebalance engine (RocketMQ keeps these in
// DefaultMQPushConsumerImpl and DefaultLitePullConsumerImpl alike).
//
// Members are declared in dependency order, so the rebalance engine goes first on destruction.
// Not thread-safe by itself; the owning consumer guards it.
#pragma once

#include <memory>

#include "client/instance_consumer_broker_api.h"
#include "client/mq_client_instance.h"
#include "client/offset_store.h"
#include "client/rebalance_impl.h"
#include "holdfast/client_config.h"

namespace holdfast::client {

struct ConsumerCore {
  std::shared_ptr<MQClientInstance> instance;
  std::unique_ptr<InstanceConsumerBrokerApi> broker_api;
  std::unique_ptr<OffsetStore> offset_store;
  std::unique_ptr<RebalanceImpl> rebalance;
};

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

// Gets the shared instance for `client`, creates and loads the offset store (the error of a
// broken local offset file, for broadcasting) and the rebalance engine reporting to `delegate`.
Result<ConsumerCore> StartConsumerCore(const ClientConfig& client, RebalanceOptions options,
                                       RebalanceDelegate* delegate);

}  // namespace holdfast::client
