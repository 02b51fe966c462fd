// The name server's JSON bodies, under RocketMQ's names (apache/rocketmq:
// remoting/.../protocol/body/{ClusterInfo,RegisterBrokerBody,TopicList,KVTable}.java,
// DataVersion.java), and its names for the route values it shares with the client
// (remoting/topic_route_data.h). Shapes are in docs/protocol.md §5.1 and §5.3.
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

// MQVersion ordinal from which GET_ROUTEINFO_BY_TOPIC answers in standard JSON (docs/protocol.md
// §1.6).
inline constexpr int32_t kVersionV4_9_4 = 401;
// MQVersion ordinal from which REGISTER_BROKER carries a RegisterBrokerBody (docs/protocol.md
// §1.6).
inline constexpr int32_t kVersionV3_0_11 = 37;
// The MQVersion this name server claims in its responses (V5_3_3, docs/protocol.md §1.6).
inline constexpr int32_t kNamesrvVersion = 479;

struct DataVersion {
  int64_t counter = 0;
  int64_t state_version = 0;
  int64_t timestamp = 0;
  bool operator==(const DataVersion&) const = default;
};

// One topic as a broker reports it in its registration (TopicConfig, docs/protocol.md §7.6).
struct TopicConfig {
  std::string topic_name;
  int32_t read_queue_nums = 16;
  int32_t write_queue_nums = 16;
  int32_t perm = 6;
  int32_t topic_sys_flag = 0;
};

// What REGISTER_BROKER's body carries that the name server uses: the uncompressed
// `{"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":..,"topicConfigTable":..}}`.
struct RegisterBrokerBody {
  DataVersion data_version;
  std::vector<TopicConfig> topic_configs;  // in topicConfigTable's key order
};

// Decodes an uncompressed RegisterBrokerBody. An empty body gives an empty result (brokers older
// than V3_0_11 send none). Corruption when the text is not JSON or a field has the wrong type.
Result<RegisterBrokerBody> DecodeRegisterBrokerBody(std::string_view body);

// Decodes a compressed RegisterBrokerBody (header compressed=true, docs/protocol.md §5.3): one zlib
// stream of int len + DataVersion JSON, int topicCount, per topic int len + TopicConfig text
// ("name read write perm filterType [attributes]"), then the filter server list, which is ignored,
// as are 5.x static-topic mappings. topicSysFlag is not in that text and decodes as 0. Corruption
// on bad input or when the stream inflates beyond kMaxInflatedRegisterBody.
inline constexpr size_t kMaxInflatedRegisterBody = size_t{64} * 1024 * 1024;
Result<RegisterBrokerBody> DecodeCompressedRegisterBrokerBody(std::string_view body);

// Encodes a DataVersion as {"counter":..,"stateVersion":..,"timestamp":..}.
std::string EncodeDataVersion(const DataVersion& version);
// Decodes DataVersion JSON; Corruption on bad input.
Result<DataVersion> DecodeDataVersion(std::string_view body);

// ClusterInfo body: {"brokerAddrTable":{name:BrokerData},"clusterAddrTable":{cluster:[name]}}.
std::string EncodeClusterInfo(
    const std::map<std::string, BrokerData>& broker_addr_table,
    const std::map<std::string, std::set<std::string>>& cluster_addr_table, JsonStyle style);
// TopicList body: {"topicList":[...]}.
std::string EncodeTopicList(const std::set<std::string>& topics);
// KVTable body: {"table":{k:v}}.
std::string EncodeKvTable(const std::map<std::string, std::string>& table);

}  // namespace holdfast::namesrv
