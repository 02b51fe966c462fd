// A topic's route as the name server answers GET_ROUTEINFO_BY_TOPIC (RocketMQ's TopicRouteData,
// QueueData, BrokerData; sheet §5.1), and the queues a producer or consumer derives from it.
//
// Plain values; no synchronisation.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "holdfast/message.h"

namespace holdfast::client {

inline constexpr int64_t kMasterId = 0;
// PermName bits.
inline constexpr int32_t kPermRead = 0x4;
inline constexpr int32_t kPermWrite = 0x2;

struct QueueData {
  std::string broker_name;
  int32_t read_queue_nums = 0;
  int32_t write_queue_nums = 0;
  int32_t perm = 0;
  int32_t topic_sys_flag = 0;
  bool operator==(const QueueData&) const = default;
};

struct BrokerData {
  std::string cluster;
  std::string broker_name;
  std::map<int64_t, std::string> broker_addrs;  // broker id (0 = master) -> "ip:port"

  // The master's address, if the master is registered.
  std::optional<std::string> MasterAddr() const;
  bool operator==(const BrokerData&) const = default;
};

struct TopicRouteData {
  std::string order_topic_conf;  // "brokerName:queueNum;..." or empty
  std::vector<QueueData> queue_datas;
  std::vector<BrokerData> broker_datas;
  bool operator==(const TopicRouteData&) const = default;
};

// Decodes the body in either form the name servers write: standard JSON ({"0":"ip:port"}) or
// fastjson's unquoted integer map keys ({0:"ip:port"}). Corruption naming what is wrong.
Result<TopicRouteData> DecodeTopicRouteData(std::string_view body);

// The queues a producer may send to (RocketMQ's topicRouteData2TopicPublishInfo): with an
// orderTopicConf, queues 0..n-1 of each "broker:n" entry in that order; otherwise, for each
// writable QueueData sorted by broker name whose broker has a registered master, queues
// 0..writeQueueNums-1.
std::vector<MessageQueue> TopicRouteToPublishQueues(const TopicRouteData& route,
                                                    const std::string& topic);

// The queues a consumer may read: queues 0..readQueueNums-1 of every readable QueueData.
std::set<MessageQueue> TopicRouteToSubscribeQueues(const TopicRouteData& route,
                                                   const std::string& topic);

}  // namespace holdfast::client
