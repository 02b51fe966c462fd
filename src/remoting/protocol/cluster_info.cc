#include "remoting/protocol/cluster_info.h"

#include "remoting/protocol/fastjson_keys.h"
#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

using nlohmann::json;

Result<std::map<std::string, std::string>> ClusterInfo::MasterAddrs(
    const std::string& cluster) const {
  auto names = cluster_addr_table.find(cluster);
  if (names == cluster_addr_table.end()) {
    return Status::NotFound("cluster " + cluster + " is not known to the name server");
  }
  std::map<std::string, std::string> out;
  for (const std::string& name : names->second) {
    auto data = broker_addr_table.find(name);
    if (data == broker_addr_table.end()) continue;
    if (auto master = data->second.MasterAddr()) out[name] = *master;
  }
  return out;
}

std::string EncodeClusterInfo(const ClusterInfo& info, JsonStyle style) {
  std::string out = "{\"brokerAddrTable\":{";
  bool first = true;
  for (const auto& [name, data] : info.broker_addr_table) {
    if (!first) out += ',';
    first = false;
    out += DumpJson(json(name)) + ':';
    data.AppendJson(style, out);
  }
  out += "},\"clusterAddrTable\":" + DumpJson(json(info.cluster_addr_table)) + "}";
  return out;
}

Result<ClusterInfo> DecodeClusterInfo(std::string_view body) {
  Result<std::string> quoted = QuoteNonStringKeys(body);
  if (!quoted.ok()) return Status::Corruption("ClusterInfo: " + quoted.status().message());
  Result<json> j = ParseJsonObject(*quoted, "ClusterInfo");
  if (!j.ok()) return j.status();
  Result<JsonFields> fields = JsonFields::Of(*j, "ClusterInfo");
  if (!fields.ok()) return fields.status();
  ClusterInfo info;
  if (const json* brokers = fields->Find("brokerAddrTable")) {
    if (!brokers->is_object()) return fields->Error("brokerAddrTable", "must be an object");
    for (const auto& [name, data] : brokers->items()) {
      Result<BrokerData> bd = BrokerData::FromJson(data);
      if (!bd.ok()) return bd.status();
      if (bd->broker_name.empty()) bd->broker_name = name;
      info.broker_addr_table[name] = std::move(bd).value();
    }
  }
  if (const json* clusters = fields->Find("clusterAddrTable")) {
    if (!clusters->is_object()) return fields->Error("clusterAddrTable", "must be an object");
    for (const auto& [cluster, names] : clusters->items()) {
      if (!names.is_array())
        return fields->Error("clusterAddrTable." + cluster, "must be an array");
      for (const json& n : names) {
        if (!n.is_string()) {
          return fields->Error("clusterAddrTable." + cluster, "must hold broker names");
        }
        info.cluster_addr_table[cluster].insert(n.get<std::string>());
      }
    }
  }
  return info;
}

}  // namespace holdfast::protocol
