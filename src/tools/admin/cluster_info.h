// RocketMQ's ClusterInfo, as the name server answers GET_BROKER_CLUSTER_INFO (docs/protocol.md
// §2.2): every broker by name with its addresses, and every cluster's broker names.
//
// Plain values; no synchronisation.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "client/topic_route_data.h"
#include "common/status.h"

namespace holdfast::tools::admin {

struct ClusterInfo {
  std::map<std::string, client::BrokerData> broker_addr_table;      // brokerAddrTable
  std::map<std::string, std::set<std::string>> cluster_addr_table;  // clusterAddrTable

  // The master address of every broker of `cluster` that has a registered master, by broker
  // name; NotFound naming the cluster when the name server does not know it.
  Result<std::map<std::string, std::string>> MasterAddrs(const std::string& cluster) const;
};

// Decodes the body in standard JSON or with fastjson's bare integer keys ({0:"ip:port"}).
// Corruption naming what is wrong.
Result<ClusterInfo> DecodeClusterInfo(std::string_view body);

}  // namespace holdfast::tools::admin
