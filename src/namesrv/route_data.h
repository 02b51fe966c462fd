// The name server's route values and their JSON bodies, under RocketMQ's names
// (apache/rocketmq: remoting/.../protocol/route/{TopicRouteData,QueueData,BrokerData}.java,
// protocol/body/{ClusterInfo,RegisterBrokerBody,TopicList,KVTable}.java, DataVersion.java).
// Shapes are in the protocol sheet §5.1 and §5.3.
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

namespace holdfast::namesrv {

inline constexpr int64_t kMasterId = 0;  // MixAll.MASTER_ID
// MQVersion ordinal from which GET_ROUTEINFO_BY_TOPIC answers in standard JSON (sheet §1.6).
inline constexpr int32_t kVersionV4_9_4 = 401;
// MQVersion ordinal from which REGISTER_BROKER carries a RegisterBrokerBody (sheet §1.6).
inline constexpr int32_t kVersionV3_0_11 = 37;
// The MQVersion this name server claims in its responses (V5_3_3, sheet §1.6).
inline constexpr int32_t kNamesrvVersion = 479;

struct DataVersion {
  int64_t counter = 0;
  int64_t state_version = 0;
  int64_t timestamp = 0;
  bool operator==(const DataVersion&) const = default;
};

// One topic as a broker reports it in its registration (TopicConfig, sheet §7.6).
struct TopicConfig {
  std::string topic_name;
  int32_t read_queue_nums = 16;
  int32_t write_queue_nums = 16;
  int32_t perm = 6;
  int32_t topic_sys_flag = 0;
};

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
  bool operator==(const BrokerData&) const = default;
};

struct TopicRouteData {
  std::optional<std::string> order_topic_conf;
  std::vector<QueueData> queue_datas;    // sorted by brokerName
  std::vector<BrokerData> broker_datas;  // sorted by brokerName
};

// What REGISTER_BROKER's body carries that the name server uses: the uncompressed
// `{"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":..,"topicConfigTable":..}}`.
struct RegisterBrokerBody {
  DataVersion data_version;
  std::vector<TopicConfig> topic_configs;  // in topicConfigTable's key order
};

// How the brokerAddrs map (Map<Long,String> in Java) is written (sheet §5.1).
enum class JsonStyle {
  kStandard,  // {"0":"ip:port"}: valid JSON, what 4.9.4+ name servers send
  kFastjson,  // {0:"ip:port"}: fastjson's plain encode(), not valid JSON
};

// Decodes an uncompressed RegisterBrokerBody. An empty body gives an empty result (brokers older
// than V3_0_11 send none). Corruption when the text is not JSON or a field has the wrong type.
Result<RegisterBrokerBody> DecodeRegisterBrokerBody(std::string_view body);

// Decodes a compressed RegisterBrokerBody (header compressed=true, sheet §5.3): one zlib stream of
// int len + DataVersion JSON, int topicCount, per topic int len + TopicConfig text
// ("name read write perm filterType [attributes]"), then the filter server list, which is ignored,
// as are 5.x static-topic mappings. topicSysFlag is not in that text and decodes as 0. Corruption
// on bad input or when the stream inflates beyond kMaxInflatedRegisterBody.
inline constexpr size_t kMaxInflatedRegisterBody = size_t{64} * 1024 * 1024;
Result<RegisterBrokerBody> DecodeCompressedRegisterBrokerBody(std::string_view body);

// Encodes a DataVersion as {"counter":..,"stateVersion":..,"timestamp":..}.
std::string EncodeDataVersion(const DataVersion& version);
// Decodes DataVersion JSON; Corruption on bad input.
Result<DataVersion> DecodeDataVersion(std::string_view body);

// TopicRouteData body: brokerDatas, filterServerTable ({}), orderTopicConf (when set), queueDatas.
std::string EncodeTopicRouteData(const TopicRouteData& route, JsonStyle style);
// ClusterInfo body: {"brokerAddrTable":{name:BrokerData},"clusterAddrTable":{cluster:[name]}}.
std::string EncodeClusterInfo(
    const std::map<std::string, BrokerData>& broker_addr_table,
    const std::map<std::string, std::set<std::string>>& cluster_addr_table, JsonStyle style);
// TopicList body: {"topicList":[...]}.
std::string EncodeTopicList(const std::set<std::string>& topics);
// KVTable body: {"table":{k:v}}.
std::string EncodeKvTable(const std::map<std::string, std::string>& table);

}  // namespace holdfast::namesrv
