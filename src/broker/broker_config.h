// The broker's settings, read from a RocketMQ-style broker.conf (Java properties) plus command-line
// overrides, with RocketMQ's key names and defaults (BrokerConfig, MessageStoreConfig,
// NettyServerConfig). The store's keys land in `store` and reach the store through
// GetMessageStoreConfig().
//
// Unlike RocketMQ, which ignores keys it does not know and turns a bad number into a startup
// exception, every unknown key and every invalid value is an error naming the file, line and key;
// all of them are reported together.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/file_system.h"
#include "store/message_store_config.h"

namespace holdfast::broker {

enum class BrokerRole { kAsyncMaster, kSyncMaster, kSlave };

std::string_view BrokerRoleName(BrokerRole role);  // "ASYNC_MASTER", "SYNC_MASTER", "SLAVE"

inline constexpr int64_t kMasterId = 0;

struct BrokerConfig {
  BrokerConfig();

  std::string broker_cluster_name = "DefaultCluster";  // brokerClusterName
  std::string broker_name;                             // brokerName (default: host name)
  int64_t broker_id = kMasterId;                       // brokerId; a master is always 0
  std::string namesrv_addr;  // namesrvAddr: "host:port;host:port", empty = none
  // bindAddress (RocketMQ's NettyServerConfig): the local address listenPort is bound on; an IPv4
  // or IPv6 literal. "0.0.0.0" (every interface) as in RocketMQ; 127.0.0.1 serves this host only.
  std::string bind_address = "0.0.0.0";
  // brokerIP1: the address registered with the name servers, which clients connect to and
  // offsetMsgIds name. Empty = bindAddress when that is one address, else picked at startup.
  std::string broker_ip1;
  std::string broker_ip2;          // brokerIP2: address for HA (default: brokerIP1)
  int32_t listen_port = 10911;     // listenPort
  int32_t ha_listen_port = 10912;  // haListenPort; listenPort + 1 unless set
  BrokerRole broker_role = BrokerRole::kAsyncMaster;  // brokerRole

  bool auto_create_topic_enable = true;            // autoCreateTopicEnable
  bool auto_create_subscription_group = true;      // autoCreateSubscriptionGroup
  bool cluster_topic_enable = true;                // clusterTopicEnable
  bool broker_topic_enable = true;                 // brokerTopicEnable
  int32_t default_topic_queue_nums = 8;            // defaultTopicQueueNums (of TBW102)
  int64_t register_name_server_period = 30000;     // registerNameServerPeriod, 10000..60000
  int64_t flush_consumer_offset_interval = 5000;   // flushConsumerOffsetInterval
  bool notify_consumer_ids_changed_enable = true;  // notifyConsumerIdsChangedEnable
  int32_t send_message_thread_pool_nums = 4;       // sendMessageThreadPoolNums
  int32_t pull_message_thread_pool_nums = 16;      // pullMessageThreadPoolNums

  // Accepted and reported back; the store does not act on them yet.
  std::string delete_when = "04";          // deleteWhen
  int32_t file_reserved_time = 72;         // fileReservedTime (hours)
  int32_t disk_max_used_space_ratio = 75;  // diskMaxUsedSpaceRatio (percent)

  // storePathRootDir (default $HOME/store), mappedFileSizeCommitLog, flushDiskType,
  // syncFlushTimeout, flushIntervalCommitLog, maxMessageSize, ... (see the .cc key table).
  store::MessageStoreConfig store;

  // namesrvAddr split on ';', blanks dropped.
  std::vector<std::string> NamesrvAddrList() const;
  store::MessageStoreConfig GetMessageStoreConfig() const { return store; }
};

using PropertyOverrides = std::map<std::string, std::string>;

// Parses broker.conf text; `source` (usually the path) names it in errors. Overrides are applied
// after the file, as if they were later lines, and are named "command line" in errors.
// InvalidArgument listing every problem, one per line, as "<source>:<line>: <key>: <problem>".
Result<BrokerConfig> ParseBrokerConfig(std::string_view text, std::string_view source,
                                       const PropertyOverrides& overrides = {});

// True for an address that binds every interface ("0.0.0.0", "::").
bool IsWildcardAddress(std::string_view address);

// Reads path through fs and parses it. An empty path means defaults plus overrides.
Result<BrokerConfig> LoadBrokerConfig(store::FileSystem* fs, const std::string& path,
                                      const PropertyOverrides& overrides = {});

// Every key with its effective value, sorted by key (the GET_BROKER_CONFIG table).
std::map<std::string, std::string> BrokerConfigToMap(const BrokerConfig& config);

// The same as properties text, "key=value\n" per key; ParseBrokerConfig reads it back to an equal
// configuration.
std::string BrokerConfigToProperties(const BrokerConfig& config);

}  // namespace holdfast::broker
