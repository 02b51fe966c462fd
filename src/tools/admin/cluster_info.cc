#include "tools/admin/cluster_info.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "remoting/protocol/fastjson_keys.h"

namespace holdfast::tools::admin {

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

Result<ClusterInfo> DecodeClusterInfo(std::string_view body) {
  Result<std::string> quoted = protocol::QuoteNonStringKeys(body);
  if (!quoted.ok()) return quoted.status();
  json j = json::parse(*quoted, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::Corruption("ClusterInfo is not JSON");
  ClusterInfo info;
  if (auto brokers = j.find("brokerAddrTable"); brokers != j.end() && brokers->is_object()) {
    for (const auto& [name, data] : brokers->items()) {
      client::BrokerData bd;
      bd.broker_name = name;
      if (data.contains("cluster") && data["cluster"].is_string()) {
        bd.cluster = data["cluster"].get<std::string>();
      }
      if (data.contains("brokerAddrs") && data["brokerAddrs"].is_object()) {
        for (const auto& [id_text, addr] : data["brokerAddrs"].items()) {
          int64_t id = 0;
          auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
          if (ec != std::errc() || end != id_text.data() + id_text.size() || !addr.is_string()) {
            return Status::Corruption("ClusterInfo: broker " + name + " has a bad address entry " +
                                      id_text);
          }
          bd.broker_addrs[id] = addr.get<std::string>();
        }
      }
      info.broker_addr_table[name] = std::move(bd);
    }
  }
  if (auto clusters = j.find("clusterAddrTable"); clusters != j.end() && clusters->is_object()) {
    for (const auto& [cluster, names] : clusters->items()) {
      if (!names.is_array()) return Status::Corruption("ClusterInfo: cluster " + cluster);
      for (const auto& n : names) {
        if (n.is_string()) info.cluster_addr_table[cluster].insert(n.get<std::string>());
      }
    }
  }
  return info;
}

}  // namespace holdfast::tools::admin
