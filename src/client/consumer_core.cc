#include "client/consumer_core.h"

#include <utility>

namespace holdfast::client {

Result<ConsumerCore> StartConsumerCore(const ClientConfig& client, RebalanceOptions options,
                                       RebalanceDelegate* delegate) {
  ConsumerCore core;
  core.instance = MQClientManager::GetOrCreateInstance(client);
  core.broker_api = std::make_unique<InstanceConsumerBrokerApi>(core.instance.get());
  core.offset_store = CreateOffsetStore(options.message_model, core.broker_api.get(),
                                        core.instance->client_id(), options.group);
  HOLDFAST_RETURN_IF_ERROR(core.offset_store->Load());
  core.rebalance = std::make_unique<RebalanceImpl>(std::move(options), core.broker_api.get(),
                                                   core.offset_store.get(), delegate);
  return core;
}

}  // namespace holdfast::client
