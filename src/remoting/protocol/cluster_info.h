// RocketMQ's ClusterInfo, the body of GET_BROKER_CLUSTER_INFO (docs/protocol.md §2.2): every broker
// by name with its addresses, and every cluster's broker names. Written by the name server, read by
// the admin tools.
//
// A plain value.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "common/status.h"
#include "remoting/protocol/broker_data.h"

namespace holdfast::protocol {

struct ClusterInfo {
  std::map<std::string, BrokerData> broker_addr_table;              // brokerAddrTable
  std::map<std::string, std::set<std::string>> cluster_addr_table;  // clusterAddrTable

  // The master address of every broker of `cluster` that has a registered master, by broker
  // name; NotFound naming the cluster when it is not in the table.
  Result<std::map<std::string, std::string>> MasterAddrs(const std::string& cluster) const;

  bool operator==(const ClusterInfo&) const = default;
};

// {"brokerAddrTable":{name:BrokerData},"clusterAddrTable":{cluster:[name]}}, brokerAddrs keys in
// the given style.
std::string EncodeClusterInfo(const ClusterInfo& info, JsonStyle style);
// Either style. Corruption naming what is wrong.
Result<ClusterInfo> DecodeClusterInfo(std::string_view body);

}  // namespace holdfast::protocol
