// A topic's route, the body of GET_ROUTEINFO_BY_TOPIC (RocketMQ's TopicRouteData, QueueData,
// BrokerData; docs/protocol.md §5.1): written by the name server, read by clients and tools. One
// definition and one codec so both ends agree on the bytes.
//
// The encoder writes keys in alphabetical order (as fastjson does); the decoder accepts either
// brokerAddrs style and never throws: bad input is a Status. Plain values; no synchronisation.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace holdfast::remoting {

inline constexpr int64_t kMasterId = 0;  // MixAll.MASTER_ID

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
  std::map<int64_t, std::string> broker_addrs;  // brokerId -> "ip:port"; 0 is the master

  // The master's address, if the master is registered.
  std::optional<std::string> MasterAddr() const;
  bool operator==(const BrokerData&) const = default;
};

struct TopicRouteData {
  // "brokerName:queueNum;...". Absent when the name server has none for the topic; the name
  // server writes the key only when present (an empty value is written as "").
  std::optional<std::string> order_topic_conf;
  std::vector<QueueData> queue_datas;    // the name server sorts these by brokerName
  std::vector<BrokerData> broker_datas;  // the name server sorts these by brokerName
  bool operator==(const TopicRouteData&) const = default;
};

// How the brokerAddrs map (Map<Long,String> in Java) is written (docs/protocol.md §5.1).
enum class JsonStyle {
  kStandard,  // {"0":"ip:port"}: valid JSON, what 4.9.4+ name servers send
  kFastjson,  // {0:"ip:port"}: fastjson's plain encode(), not valid JSON
};

// TopicRouteData body: brokerDatas, filterServerTable ({}), orderTopicConf (when set), queueDatas.
std::string EncodeTopicRouteData(const TopicRouteData& route, JsonStyle style);

// Appends one BrokerData object ({"brokerAddrs":..,"brokerName":..,"cluster":..,
// "enableActingMaster":false}) to `out`: the form inside TopicRouteData and ClusterInfo bodies.
void AppendBrokerDataJson(const BrokerData& data, JsonStyle style, std::string& out);

// Decodes the body in either form name servers write: standard JSON ({"0":"ip:port"}) or
// fastjson's unquoted integer map keys ({0:"ip:port"}). Numbers may come as numeric strings.
// Corruption naming what is wrong.
Result<TopicRouteData> DecodeTopicRouteData(std::string_view body);

}  // namespace holdfast::remoting
