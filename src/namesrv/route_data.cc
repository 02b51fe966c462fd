#include "namesrv/route_data.h"

#include <nlohmann/json.hpp>

namespace holdfast::namesrv {

using remoting::AppendBrokerDataJson;

namespace {

using nlohmann::json;

// Never throws: invalid UTF-8 (which decoded commands do not carry) is replaced, not rejected.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// A JSON string literal for `s`, escaped.
std::string Quote(const std::string& s) { return Dump(json(s)); }

}  // namespace

std::string EncodeClusterInfo(
    const std::map<std::string, BrokerData>& broker_addr_table,
    const std::map<std::string, std::set<std::string>>& cluster_addr_table, JsonStyle style) {
  std::string out = "{\"brokerAddrTable\":{";
  bool first = true;
  for (const auto& [name, data] : broker_addr_table) {
    if (!first) out += ',';
    first = false;
    out += Quote(name) + ':';
    AppendBrokerDataJson(data, style, out);
  }
  out += "},\"clusterAddrTable\":";
  json clusters = json::object();
  for (const auto& [cluster, names] : cluster_addr_table) {
    clusters[cluster] = json(std::vector<std::string>(names.begin(), names.end()));
  }
  out += Dump(clusters) + "}";
  return out;
}

std::string EncodeTopicList(const std::set<std::string>& topics) {
  json j = json::object();
  j["topicList"] = json(std::vector<std::string>(topics.begin(), topics.end()));
  return Dump(j);
}

std::string EncodeKvTable(const std::map<std::string, std::string>& table) {
  json j = json::object();
  j["table"] = json(table);
  return Dump(j);
}

}  // namespace holdfast::namesrv
