#include "client/topic_route_data.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

namespace holdfast::client {

using nlohmann::json;

namespace {

// Rewrites fastjson's unquoted integer object keys ({0:"a"} or ,-1:"b") as quoted strings, so a
// standard parser accepts the text. Text inside strings is left alone; standard JSON passes
// through unchanged.
std::string QuoteBareNumericKeys(std::string_view in) {
  std::string out;
  out.reserve(in.size() + 16);
  bool in_string = false;
  bool key_position = false;  // just after '{' or ',' (whitespace skipped)
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < in.size()) {
        out.push_back(in[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      key_position = false;
      out.push_back(c);
      continue;
    }
    if (key_position && (c == '-' || std::isdigit(static_cast<unsigned char>(c)))) {
      size_t end = i + 1;
      while (end < in.size() && std::isdigit(static_cast<unsigned char>(in[end]))) ++end;
      size_t after = end;
      while (after < in.size() && std::isspace(static_cast<unsigned char>(in[after]))) ++after;
      if (after < in.size() && in[after] == ':') {
        out.push_back('"');
        out.append(in.substr(i, end - i));
        out.push_back('"');
        i = end - 1;
        key_position = false;
        continue;
      }
    }
    if (c == '{' || c == ',') {
      key_position = true;
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      key_position = false;
    }
    out.push_back(c);
  }
  return out;
}

int32_t IntField(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return 0;
  if (it->is_string()) return std::stoi(it->get<std::string>());
  return it->get<int32_t>();
}

std::string StringField(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

}  // namespace

std::optional<std::string> BrokerData::MasterAddr() const {
  auto it = broker_addrs.find(kMasterId);
  if (it == broker_addrs.end()) return std::nullopt;
  return it->second;
}

Result<TopicRouteData> DecodeTopicRouteData(std::string_view body) {
  json j = json::parse(QuoteBareNumericKeys(body), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Corruption("TopicRouteData is not a JSON object: " +
                              std::string(body.substr(0, 200)));
  }
  TopicRouteData route;
  try {
    route.order_topic_conf = StringField(j, "orderTopicConf");
    if (auto it = j.find("queueDatas"); it != j.end() && it->is_array()) {
      for (const json& q : *it) {
        QueueData qd;
        qd.broker_name = StringField(q, "brokerName");
        qd.read_queue_nums = IntField(q, "readQueueNums");
        qd.write_queue_nums = IntField(q, "writeQueueNums");
        qd.perm = IntField(q, "perm");
        qd.topic_sys_flag = IntField(q, "topicSysFlag");
        route.queue_datas.push_back(std::move(qd));
      }
    }
    if (auto it = j.find("brokerDatas"); it != j.end() && it->is_array()) {
      for (const json& b : *it) {
        BrokerData bd;
        bd.cluster = StringField(b, "cluster");
        bd.broker_name = StringField(b, "brokerName");
        if (auto addrs = b.find("brokerAddrs"); addrs != b.end() && addrs->is_object()) {
          for (const auto& [key, addr] : addrs->items()) {
            int64_t id = 0;
            auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
            if (ec != std::errc() || end != key.data() + key.size() || !addr.is_string()) {
              return Status::Corruption("TopicRouteData broker " + bd.broker_name +
                                        " has a bad brokerAddrs entry '" + key + "'");
            }
            bd.broker_addrs[id] = addr.get<std::string>();
          }
        }
        route.broker_datas.push_back(std::move(bd));
      }
    }
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("TopicRouteData has a field of the wrong type: ") +
                              e.what());
  }
  return route;
}

std::vector<MessageQueue> TopicRouteToPublishQueues(const TopicRouteData& route,
                                                    const std::string& topic) {
  std::vector<MessageQueue> queues;
  if (!route.order_topic_conf.empty()) {
    std::string_view rest = route.order_topic_conf;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view entry = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      size_t colon = entry.find(':');
      if (colon == std::string_view::npos) continue;
      int32_t nums = 0;
      std::string_view n = entry.substr(colon + 1);
      if (std::from_chars(n.data(), n.data() + n.size(), nums).ec != std::errc()) continue;
      for (int32_t i = 0; i < nums; ++i) {
        queues.push_back(MessageQueue{topic, std::string(entry.substr(0, colon)), i});
      }
    }
    return queues;
  }
  std::vector<QueueData> sorted = route.queue_datas;
  std::sort(sorted.begin(), sorted.end(),
            [](const QueueData& a, const QueueData& b) { return a.broker_name < b.broker_name; });
  for (const QueueData& qd : sorted) {
    if ((qd.perm & kPermWrite) == 0) continue;
    auto bd = std::find_if(route.broker_datas.begin(), route.broker_datas.end(),
                           [&](const BrokerData& b) { return b.broker_name == qd.broker_name; });
    if (bd == route.broker_datas.end() || !bd->MasterAddr()) continue;
    for (int32_t i = 0; i < qd.write_queue_nums; ++i) {
      queues.push_back(MessageQueue{topic, qd.broker_name, i});
    }
  }
  return queues;
}

std::set<MessageQueue> TopicRouteToSubscribeQueues(const TopicRouteData& route,
                                                   const std::string& topic) {
  std::set<MessageQueue> queues;
  for (const QueueData& qd : route.queue_datas) {
    if ((qd.perm & kPermRead) == 0) continue;
    for (int32_t i = 0; i < qd.read_queue_nums; ++i) {
      queues.insert(MessageQueue{topic, qd.broker_name, i});
    }
  }
  return queues;
}

}  // namespace holdfast::client
