// A topic's route, the body of GET_ROUTEINFO_BY_TOPIC (RocketMQ's TopicRouteData and QueueData;
// docs/protocol.md §5.1): written by the name server, read by clients and tools.
//
// The encoder writes keys in alphabetical order (as fastjson does) and brokerAddrs in the given
// style; the decoder accepts either style and numbers as numeric strings.
//
// Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "remoting/protocol/broker_data.h"

namespace holdfast::protocol {

struct QueueData {
  std::string broker_name;
  int32_t read_queue_nums = 0;
  int32_t write_queue_nums = 0;
  int32_t perm = 0;
  int32_t topic_sys_flag = 0;

  bool operator==(const QueueData&) const = default;
};

struct TopicRouteData {
  // "brokerName:queueNum;...". Absent when the name server has none for the topic; the name
  // server writes the key only when present (an empty value is written as "").
  std::optional<std::string> order_topic_conf;
  std::vector<QueueData> queue_datas;    // the name server sorts these by brokerName
  std::vector<BrokerData> broker_datas;  // the name server sorts these by brokerName

  bool operator==(const TopicRouteData&) const = default;
};

// brokerDatas, filterServerTable ({}), orderTopicConf (when set), queueDatas.
std::string EncodeTopicRouteData(const TopicRouteData& route, JsonStyle style);

// Either form name servers write. Corruption naming what is wrong.
Result<TopicRouteData> DecodeTopicRouteData(std::string_view body);

}  // namespace holdfast::protocol
