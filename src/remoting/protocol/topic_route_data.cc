#include "remoting/protocol/topic_route_data.h"

#include "remoting/protocol/fastjson_keys.h"
#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

using nlohmann::json;

namespace {

Result<QueueData> QueueDataFromJson(const json& j) {
  Result<JsonFields> fields = JsonFields::Of(j, "QueueData");
  if (!fields.ok()) return fields.status();
  QueueData qd;
  HOLDFAST_RETURN_IF_ERROR(fields->Read("brokerName", &qd.broker_name));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("readQueueNums", &qd.read_queue_nums));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("writeQueueNums", &qd.write_queue_nums));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("perm", &qd.perm));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("topicSysFlag", &qd.topic_sys_flag));
  return qd;
}

}  // namespace

std::string EncodeTopicRouteData(const TopicRouteData& route, JsonStyle style) {
  std::string out = "{\"brokerDatas\":[";
  for (size_t i = 0; i < route.broker_datas.size(); ++i) {
    if (i > 0) out += ',';
    route.broker_datas[i].AppendJson(style, out);
  }
  out += "],\"filterServerTable\":{}";
  if (route.order_topic_conf) {
    out += ",\"orderTopicConf\":" + DumpJson(json(*route.order_topic_conf));
  }
  out += ",\"queueDatas\":[";
  for (size_t i = 0; i < route.queue_datas.size(); ++i) {
    const QueueData& q = route.queue_datas[i];
    if (i > 0) out += ',';
    out += "{\"brokerName\":" + DumpJson(json(q.broker_name)) +
           ",\"perm\":" + std::to_string(q.perm) +
           ",\"readQueueNums\":" + std::to_string(q.read_queue_nums) +
           ",\"topicSysFlag\":" + std::to_string(q.topic_sys_flag) +
           ",\"writeQueueNums\":" + std::to_string(q.write_queue_nums) + "}";
  }
  out += "]}";
  return out;
}

Result<TopicRouteData> DecodeTopicRouteData(std::string_view body) {
  Result<std::string> quoted = QuoteNonStringKeys(body);
  if (!quoted.ok()) return Status::Corruption("TopicRouteData: " + quoted.status().message());
  Result<json> j = ParseJsonObject(*quoted, "TopicRouteData");
  if (!j.ok()) return j.status();
  Result<JsonFields> fields = JsonFields::Of(*j, "TopicRouteData");
  if (!fields.ok()) return fields.status();
  TopicRouteData route;
  if (fields->Find("orderTopicConf") != nullptr) {
    std::string conf;
    HOLDFAST_RETURN_IF_ERROR(fields->Read("orderTopicConf", &conf));
    route.order_topic_conf = std::move(conf);
  }
  if (const json* queues = fields->Find("queueDatas")) {
    if (!queues->is_array()) return fields->Error("queueDatas", "must be an array");
    for (const json& q : *queues) {
      Result<QueueData> qd = QueueDataFromJson(q);
      if (!qd.ok()) return qd.status();
      route.queue_datas.push_back(std::move(qd).value());
    }
  }
  if (const json* brokers = fields->Find("brokerDatas")) {
    if (!brokers->is_array()) return fields->Error("brokerDatas", "must be an array");
    for (const json& b : *brokers) {
      Result<BrokerData> bd = BrokerData::FromJson(b);
      if (!bd.ok()) return bd.status();
      route.broker_datas.push_back(std::move(bd).value());
    }
  }
  return route;
}

}  // namespace holdfast::protocol
