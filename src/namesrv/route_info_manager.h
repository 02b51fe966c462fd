// RouteInfoManager: the name server's tables of brokers and topic routes
// (apache/rocketmq: namesrv/.../routeinfo/RouteInfoManager.java, 4.x behaviour).
//
//  * topicQueueTable:  topic -> brokerName -> QueueData, filled only by master (brokerId 0)
//    registrations (docs/protocol.md §8.1); updated when the master's topic DataVersion changed or
//    on its first registration; entries stay until the broker name disappears or
//    DELETE_TOPIC_IN_NAMESRV.
//  * brokerAddrTable:  brokerName -> BrokerData {cluster, brokerName, brokerId -> address}.
//  * clusterAddrTable: cluster -> brokerNames.
//  * brokerLiveTable:  broker address -> last registration time (from the injected clock),
//    timeout, DataVersion, HA address and the connection it registered on.
// A broker leaves by UNREGISTER_BROKER, when its connection closes (OnChannelDestroy), or when
// ScanNotActiveBroker finds its last registration older than its timeout. When the last address of
// a broker name leaves, the name leaves its cluster and every topic loses its queue data.
//
// Thread-safe: every method takes one internal mutex; none blocks on I/O. The clock is called
// under that mutex and must not call back into this object.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "remoting/protocol/cluster_info.h"
#include "remoting/protocol/data_version.h"
#include "remoting/protocol/topic_config.h"
#include "remoting/protocol/topic_route_data.h"

namespace holdfast::remoting {
class Connection;
}

namespace holdfast::namesrv {

struct RegisterBrokerRequest {
  std::string cluster_name;
  std::string broker_addr;  // "ip:port"
  std::string broker_name;
  int64_t broker_id = protocol::kMasterId;
  std::string ha_server_addr;  // "ip:haPort"
  // The broker's own timeout (5.x header heartbeatTimeoutMillis); nullopt: the manager's default.
  std::optional<int64_t> heartbeat_timeout_millis;
  protocol::DataVersion data_version;
  std::vector<protocol::TopicConfig> topic_configs;
  // The connection the registration came on; its close removes the broker. May be empty.
  std::weak_ptr<remoting::Connection> channel;
};

// REGISTER_BROKER's answer: for a slave, its master's address and HA address once the master is
// registered and alive; empty otherwise.
struct RegisterBrokerResult {
  std::string ha_server_addr;
  std::string master_addr;
};

class RouteInfoManager {
 public:
  // Wall-clock milliseconds; tests pass a fake to expire brokers without waiting.
  using Clock = std::function<int64_t()>;

  // `broker_channel_expired_time` (ms) applies to brokers that did not send their own timeout.
  explicit RouteInfoManager(int64_t broker_channel_expired_time, Clock clock);
  RouteInfoManager(const RouteInfoManager&) = delete;
  RouteInfoManager& operator=(const RouteInfoManager&) = delete;

  RegisterBrokerResult RegisterBroker(const RegisterBrokerRequest& request);
  // Removes brokerId's address from brokerName and the address's live entry.
  void UnregisterBroker(const std::string& cluster_name, const std::string& broker_addr,
                        const std::string& broker_name, int64_t broker_id);

  // The route of `topic`, or nullopt when no master hosts it. orderTopicConf is left unset.
  std::optional<protocol::TopicRouteData> PickupTopicRouteData(const std::string& topic) const;
  protocol::ClusterInfo GetAllClusterInfo() const;
  std::set<std::string> GetAllTopicList() const;
  // Topics with queue data on any broker name of `cluster`.
  std::set<std::string> GetTopicsByCluster(const std::string& cluster) const;
  // Removes `topic` everywhere, or, when `cluster_name` is non-empty, only its queue data on that
  // cluster's brokers.
  void DeleteTopic(const std::string& topic, const std::string& cluster_name);

  // True when `broker_addr` is unknown or registered a different DataVersion last.
  bool IsBrokerTopicConfigChanged(const std::string& broker_addr,
                                  const protocol::DataVersion& data_version) const;
  // The DataVersion `broker_addr` registered last.
  std::optional<protocol::DataVersion> QueryBrokerTopicConfig(const std::string& broker_addr) const;
  // Counts as a registration for expiry (QUERY_DATA_VERSION does this).
  void UpdateBrokerInfoUpdateTimestamp(const std::string& broker_addr);

  // Removes every broker whose last registration is older than its timeout and closes its
  // connection. Returns how many addresses were removed.
  size_t ScanNotActiveBroker();
  // Removes the broker that registered on `channel`, if any (the server's close listener).
  void OnChannelDestroy(const remoting::Connection* channel);

  // Addresses in brokerLiveTable right now.
  size_t live_broker_count() const;

 private:
  struct BrokerLiveInfo {
    int64_t last_update_timestamp = 0;
    int64_t heartbeat_timeout_millis = 0;
    protocol::DataVersion data_version;
    std::weak_ptr<remoting::Connection> channel;
    std::string ha_server_addr;
  };

  // The following run with mu_ held.
  void CreateAndUpdateQueueData(const std::string& broker_name,
                                const protocol::TopicConfig& config);
  // Removes `broker_addr` from the live table and from every broker name listing it.
  void RemoveBrokerByAddr(const std::string& broker_addr);
  void RemoveBrokerId(const std::string& broker_name, int64_t broker_id);
  void RemoveTopicByBrokerName(const std::string& broker_name);

  // Constant after construction.
  const int64_t broker_channel_expired_time_;
  const Clock clock_;

  mutable std::mutex mu_;
  // Guarded by mu_.
  std::map<std::string, std::map<std::string, protocol::QueueData>> topic_queue_table_;
  std::map<std::string, protocol::BrokerData> broker_addr_table_;
  std::map<std::string, std::set<std::string>> cluster_addr_table_;
  std::map<std::string, BrokerLiveInfo> broker_live_table_;
};

}  // namespace holdfast::namesrv
