// The name server's JSON bodies, under RocketMQ's names (apache/rocketmq:
// remoting/.../protocol/body/{ClusterInfo,TopicList,KVTable}.java), and its names for the route
// values it shares with the client (remoting/topic_route_data.h). Shapes are in the protocol sheet
// §5.1 and §5.3.
//
// Encoders write keys in alphabetical order (as fastjson does). Decoders accept numbers or
// numeric strings wherever a number is expected and never throw: bad input is a Status.
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
#include "remoting/topic_route_data.h"

namespace holdfast::namesrv {

// The route values and their codec are shared with the client (remoting/topic_route_data.h).
using remoting::BrokerData;
using remoting::EncodeTopicRouteData;
using remoting::JsonStyle;
using remoting::kMasterId;
using remoting::QueueData;
using remoting::TopicRouteData;

// MQVersion ordinal from which GET_ROUTEINFO_BY_TOPIC answers in standard JSON (sheet §1.6).
inline constexpr int32_t kVersionV4_9_4 = 401;
// MQVersion ordinal from which REGISTER_BROKER carries a RegisterBrokerBody (sheet §1.6).
inline constexpr int32_t kVersionV3_0_11 = 37;
// The MQVersion this name server claims in its responses (V5_3_3, sheet §1.6).
inline constexpr int32_t kNamesrvVersion = 479;

// ClusterInfo body: {"brokerAddrTable":{name:BrokerData},"clusterAddrTable":{cluster:[name]}}.
std::string EncodeClusterInfo(
    const std::map<std::string, BrokerData>& broker_addr_table,
    const std::map<std::string, std::set<std::string>>& cluster_addr_table, JsonStyle style);
// TopicList body: {"topicList":[...]}.
std::string EncodeTopicList(const std::set<std::string>& topics);
// KVTable body: {"table":{k:v}}.
std::string EncodeKvTable(const std::map<std::string, std::string>& table);

}  // namespace holdfast::namesrv
