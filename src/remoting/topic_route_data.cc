#include "remoting/topic_route_data.h"

#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

namespace holdfast::remoting {

using nlohmann::json;

namespace {

// Never throws: invalid UTF-8 (which decoded commands do not carry) is replaced, not rejected.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// A JSON string literal for `s`, escaped.
std::string Quote(const std::string& s) { return Dump(json(s)); }

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
    if (auto it = j.find("orderTopicConf"); it != j.end() && it->is_string()) {
      route.order_topic_conf = it->get<std::string>();
    }
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

void AppendBrokerDataJson(const BrokerData& data, JsonStyle style, std::string& out) {
  out += "{\"brokerAddrs\":{";
  bool first = true;
  for (const auto& [id, addr] : data.broker_addrs) {
    if (!first) out += ',';
    first = false;
    if (style == JsonStyle::kStandard) {
      out += '"' + std::to_string(id) + '"';
    } else {
      out += std::to_string(id);
    }
    out += ':' + Quote(addr);
  }
  out += "},\"brokerName\":" + Quote(data.broker_name) + ",\"cluster\":" + Quote(data.cluster) +
         ",\"enableActingMaster\":false}";
}

std::string EncodeTopicRouteData(const TopicRouteData& route, JsonStyle style) {
  std::string out = "{\"brokerDatas\":[";
  for (size_t i = 0; i < route.broker_datas.size(); ++i) {
    if (i > 0) out += ',';
    AppendBrokerDataJson(route.broker_datas[i], style, out);
  }
  out += "],\"filterServerTable\":{}";
  if (route.order_topic_conf) out += ",\"orderTopicConf\":" + Quote(*route.order_topic_conf);
  out += ",\"queueDatas\":[";
  for (size_t i = 0; i < route.queue_datas.size(); ++i) {
    const QueueData& q = route.queue_datas[i];
    if (i > 0) out += ',';
    out += "{\"brokerName\":" + Quote(q.broker_name) + ",\"perm\":" + std::to_string(q.perm) +
           ",\"readQueueNums\":" + std::to_string(q.read_queue_nums) +
           ",\"topicSysFlag\":" + std::to_string(q.topic_sys_flag) +
           ",\"writeQueueNums\":" + std::to_string(q.write_queue_nums) + "}";
  }
  out += "]}";
  return out;
}

}  // namespace holdfast::remoting
