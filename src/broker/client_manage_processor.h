// Client management requests (apache/rocketmq: ClientManageProcessor for HEART_BEAT (34) and
// UNREGISTER_CLIENT (35); docs/protocol.md §4.6, 5.2, 8.1, 8.10). Here the same class also answers
// the other client-side membership codes that RocketMQ spreads over ConsumerManageProcessor
// (GET_CONSUMER_LIST_BY_GROUP, 38) and AdminBrokerProcessor (LOCK_BATCH_MQ 41, UNLOCK_BATCH_MQ 42),
// so the admin processor stays about administration.
//
//  * HEART_BEAT: body HeartbeatData. Per consumer group: find (or auto-create, with
//    autoCreateSubscriptionGroup) its SubscriptionGroupConfig; for a CLUSTERING consumer create
//    %RETRY%<group> (retryQueueNums queues, perm RW, FLAG_UNIT_SUB with unitMode) and re-register
//    with the name servers when it was created; register the channel and subscriptions in the
//    ConsumerManager, notifying the group when the group's notifyConsumerIdsChangedEnable is set.
//    Per producer group: register the channel in the ProducerManager. SUCCESS, no body. A body
//    that does not decode: SYSTEM_ERROR naming the field.
//  * UNREGISTER_CLIENT: header clientID, producerGroup?, consumerGroup?: drops this channel.
//  * GET_CONSUMER_LIST_BY_GROUP: header consumerGroup; body {"consumerIdList":[...]}, or
//    SYSTEM_ERROR "no consumer for this group, <group>".
//  * LOCK_BATCH_MQ: body LockBatchRequestBody; body {"lockOKMQSet":[...]}.
//  * UNLOCK_BATCH_MQ: body UnlockBatchRequestBody; SUCCESS.
//
// Threads: Process runs on remoting workers, any number at once (the managers are thread-safe).
#pragma once

#include <functional>

#include "broker/consumer_manager.h"
#include "broker/producer_manager.h"
#include "broker/rebalance_lock_manager.h"
#include "broker/subscription_group_manager.h"
#include "broker/topic_config_manager.h"
#include "remoting/remoting_command.h"
#include "remoting/response_writer.h"

namespace holdfast::broker {

// TopicSysFlag.FLAG_UNIT_SUB.
inline constexpr int32_t kTopicSysFlagUnitSub = 0x2;

struct ClientManageProcessorDeps {
  ConsumerManager* consumers = nullptr;
  ProducerManager* producers = nullptr;
  SubscriptionGroupManager* groups = nullptr;
  TopicConfigManager* topics = nullptr;
  RebalanceLockManager* locks = nullptr;
  // Called after a heartbeat created a retry topic (re-register with the name servers).
  std::function<void()> on_topic_created;
};

class ClientManageProcessor {
 public:
  // Everything in `deps` must outlive the processor.
  explicit ClientManageProcessor(ClientManageProcessorDeps deps) : deps_(std::move(deps)) {}

  void Process(const remoting::RemotingCommand& request, remoting::ResponseWriter writer);

 private:
  remoting::RemotingCommand HeartBeat(const remoting::RemotingCommand& request,
                                      const remoting::ResponseWriter& writer);
  remoting::RemotingCommand UnregisterClient(const remoting::RemotingCommand& request,
                                             const remoting::ResponseWriter& writer);
  remoting::RemotingCommand GetConsumerListByGroup(const remoting::RemotingCommand& request);
  remoting::RemotingCommand LockBatchMQ(const remoting::RemotingCommand& request);
  remoting::RemotingCommand UnlockBatchMQ(const remoting::RemotingCommand& request);

  const ClientManageProcessorDeps deps_;
};

}  // namespace holdfast::broker
