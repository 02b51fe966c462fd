// RocketMQ's BrokerData: one broker name, its cluster and the address of each of its brokers
// (id 0 is the master). Inside TopicRouteData (GET_ROUTEINFO_BY_TOPIC) and ClusterInfo
// (GET_BROKER_CLUSTER_INFO), both written by the name server and read by clients and tools.
//
// brokerAddrs is a Java Map<Long,String>: fastjson's plain encode() writes its keys bare
// ({0:"ip:port"}), which is not JSON; 4.9.4+ name servers write them quoted for clients that ask
// (docs/protocol.md §5.1). Both are written and read here.
//
// A plain value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace holdfast::protocol {

inline constexpr int64_t kMasterId = 0;  // MixAll.MASTER_ID

// How a Map<Long,String> is written.
enum class JsonStyle {
  kStandard,  // {"0":"ip:port"}: valid JSON, what 4.9.4+ name servers send
  kFastjson,  // {0:"ip:port"}: fastjson's plain encode(), not valid JSON
};

struct BrokerData {
  std::string cluster;
  std::string broker_name;
  std::map<int64_t, std::string> broker_addrs;  // brokerId -> "ip:port"; 0 is the master

  // The master's address, if the master is registered.
  std::optional<std::string> MasterAddr() const;

  // Appends {"brokerAddrs":..,"brokerName":..,"cluster":..,"enableActingMaster":false} to `out`.
  void AppendJson(JsonStyle style, std::string& out) const;
  // From the parsed object (fastjson's bare keys already quoted: fastjson_keys.h). Corruption
  // naming the broker when an address key is not an integer or a field has the wrong type.
  static Result<BrokerData> FromJson(const nlohmann::json& j);

  bool operator==(const BrokerData&) const = default;
};

}  // namespace holdfast::protocol
