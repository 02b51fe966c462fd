// MQClientInstance: what every producer and consumer of one client id ("ip@instanceName") in this
// process shares (RocketMQ's MQClientInstance): the MQClientAPI and its connections, the route of
// every topic in use, the broker address table, heartbeats and the periodic consumer tasks.
// Instances are shared through MQClientManager; a producer or consumer gets one there, calls
// Start() when it starts and Shutdown() when it stops (reference-counted: the first Start starts
// it, the last Shutdown stops it and removes it from the manager).
//
// Threads:
//  * "MQClientFactoryScheduledThread", owned here, runs the periodic tasks one after another:
//    refresh the route of every topic producers and consumers use (poll_name_server_interval),
//    heartbeat to every broker (heartbeat_broker_interval, and at once when a producer or consumer
//    registers), PersistConsumerOffset of every consumer (persist_consumer_offset_interval),
//    DoRebalance of every consumer (every 20 s, and at once on RebalanceImmediately(), which the
//    brokers' NOTIFY_CONSUMER_IDS_CHANGED triggers).
//  * the MQClientAPI's RemotingClient threads (io and processor workers).
// Every public method is thread-safe. Calls into registered consumers and producers are
// serialised by call_mu_ (see mq_consumer_inner.h for what that asks of them).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "client/mq_client_api.h"
#include "client/mq_consumer_inner.h"
#include "client/mq_producer_inner.h"
#include "client/topic_route_data.h"
#include "common/message.h"
#include "common/status.h"
#include "holdfast/client_config.h"

namespace holdfast::client {

inline constexpr std::chrono::milliseconds kRebalanceInterval{20'000};
// The group of every instance's own producer (RocketMQ's MixAll.CLIENT_INNER_PRODUCER_GROUP).
inline constexpr std::string_view kClientInnerProducerGroup = "CLIENT_INNER_PRODUCER";

class ProducerImpl;

// "ip@instanceName"; ip is config.client_ip or this host's first non-loopback IPv4 address, and
// the instance name "DEFAULT" becomes the process id (RocketMQ's changeInstanceNameToPID).
std::string BuildClientId(const ClientConfig& config);

class MQClientInstance {
 public:
  MQClientInstance(ClientConfig config, std::string client_id);
  ~MQClientInstance();
  MQClientInstance(const MQClientInstance&) = delete;
  MQClientInstance& operator=(const MQClientInstance&) = delete;

  // Reference-counted, see the file comment. After the last Shutdown() the instance is spent:
  // Start() then returns Unavailable (get a fresh one from MQClientManager; this only happens to
  // a caller that fetched the instance just before another user's last Shutdown()).
  Status Start();
  void Shutdown();
  bool terminated() const;

  // AlreadyExists when `group` is registered already in this instance. Triggers a heartbeat.
  Status RegisterConsumer(const std::string& group, MQConsumerInner* consumer);
  // Sends UNREGISTER_CLIENT to every broker. No call reaches `consumer` after it returns.
  void UnregisterConsumer(const std::string& group);
  Status RegisterProducer(const std::string& group, MQProducerInner* producer);
  void UnregisterProducer(const std::string& group);

  MQClientAPI& api() { return api_; }
  const std::string& client_id() const { return client_id_; }
  const ClientConfig& config() const { return config_; }

  // Fetches `topic`'s route and, when it changed, updates the broker table, the producers that
  // publish to it and the consumers that subscribe to it. True when it changed.
  bool UpdateTopicRouteInfoFromNameServer(const std::string& topic);
  // The last route fetched for `topic`, if any.
  std::optional<TopicRouteData> TopicRoute(const std::string& topic) const;

  // The master's address of `broker_name` (any registered address when it has no master).
  std::optional<std::string> FindBrokerAddressInSubscribe(const std::string& broker_name) const;
  std::optional<std::string> FindBrokerAddressInPublish(const std::string& broker_name) const;
  // Some broker serving `topic` (fetching its route when unknown).
  std::optional<std::string> FindBrokerAddrByTopic(const std::string& topic);
  // The ids of `group`'s consumers, from one broker of `topic`; empty on failure.
  std::vector<std::string> FindConsumerIdList(const std::string& topic, const std::string& group);

  // Wakes the scheduled-task thread to rebalance every consumer now.
  void RebalanceImmediately();
  // Heartbeats every broker now, in the caller's thread.
  void SendHeartbeatToAllBrokers();

  // A sync send by the instance's own producer (group kClientInnerProducerGroup, RocketMQ's
  // MQClientInstance.defaultMQProducer), which consumers use to put a message into their retry
  // topic themselves (docs/protocol.md §8.3); see ProducerImpl::SendWithProperties. The producer
  // is started and registered on first use (so heartbeats name its group from then on) and
  // stopped by the last Shutdown(); after that, Unavailable. Thread-safe; blocks for at most the
  // producer's send_msg_timeout (3 s) plus a route lookup.
  Result<SendResult> SendByInnerProducer(const std::string& topic, const std::string& body,
                                         int32_t flag, PropertyMap properties);

 private:
  void ScheduledLoop();
  void UpdateAllTopicRoutes();
  void PersistAllConsumerOffsets();
  void RebalanceAll();
  void WakeHeartbeat();
  // Copies of the registered consumers and producers, taken under mu_: a caller holds call_mu_
  // (so the tables cannot change) and calls into the members without holding mu_.
  std::map<std::string, MQConsumerInner*> Consumers() const;
  std::map<std::string, MQProducerInner*> Producers() const;
  // Adds `member` to `table` (consumers_ or producers_), AlreadyExists when the group is taken,
  // then asks for a heartbeat.
  template <typename Member>
  Status RegisterMember(std::map<std::string, Member*>& table, const std::string& group,
                        Member* member, const char* kind);
  // Removes `group` from `table`; after it returns no call reaches that member (call_mu_).
  template <typename Member>
  void UnregisterMember(std::map<std::string, Member*>& table, const std::string& group);
  // UNREGISTER_CLIENT to every known broker (one of the groups empty).
  void UnregisterFromBrokers(const std::string& producer_group, const std::string& consumer_group);

  // Constant after construction.
  const ClientConfig config_;
  const std::string client_id_;

  MQClientAPI api_;

  // Held while calling into registered producers/consumers and while (un)registering them.
  mutable std::recursive_mutex call_mu_;

  mutable std::mutex mu_;
  int start_count_ = 0;                                                 // guarded by mu_
  bool terminated_ = false;                                             // guarded by mu_
  std::map<std::string, MQConsumerInner*> consumers_;                   // guarded by mu_
  std::map<std::string, MQProducerInner*> producers_;                   // guarded by mu_
  std::map<std::string, TopicRouteData> topic_routes_;                  // guarded by mu_
  std::map<std::string, std::map<int64_t, std::string>> broker_addrs_;  // guarded by mu_

  std::mutex sched_mu_;
  std::condition_variable sched_cv_;
  bool stop_ = false;           // guarded by sched_mu_
  bool rebalance_now_ = false;  // guarded by sched_mu_
  bool heartbeat_now_ = false;  // guarded by sched_mu_
  std::thread scheduled_thread_;

  // Created by the first SendByInnerProducer, shut down by the last Shutdown(), destroyed with
  // the instance (a send may still be using it when Shutdown() runs).
  std::mutex inner_mu_;                           // taken before call_mu_ and mu_
  std::unique_ptr<ProducerImpl> inner_producer_;  // guarded by inner_mu_
};

// The process-wide registry of instances by client id (RocketMQ's MQClientManager).
class MQClientManager {
 public:
  // The live instance for config's client id, created on first use (or after the previous one
  // was shut down). Thread-safe.
  static std::shared_ptr<MQClientInstance> GetOrCreateInstance(const ClientConfig& config);
  // Forgets the instance of `client_id` if it is `instance` (any, when nullptr). Called by an
  // instance's last Shutdown().
  static void RemoveInstance(const std::string& client_id,
                             const MQClientInstance* instance = nullptr);
};

}  // namespace holdfast::client
