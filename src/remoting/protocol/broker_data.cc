#include "remoting/protocol/broker_data.h"

#include <charconv>

#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

std::optional<std::string> BrokerData::MasterAddr() const {
  auto it = broker_addrs.find(kMasterId);
  if (it == broker_addrs.end()) return std::nullopt;
  return it->second;
}

void BrokerData::AppendJson(JsonStyle style, std::string& out) const {
  out += "{\"brokerAddrs\":{";
  bool first = true;
  for (const auto& [id, addr] : broker_addrs) {
    if (!first) out += ',';
    first = false;
    if (style == JsonStyle::kStandard) {
      out += '"' + std::to_string(id) + '"';
    } else {
      out += std::to_string(id);
    }
    out += ':' + DumpJson(nlohmann::json(addr));
  }
  out += "},\"brokerName\":" + DumpJson(nlohmann::json(broker_name)) +
         ",\"cluster\":" + DumpJson(nlohmann::json(cluster)) + ",\"enableActingMaster\":false}";
}

Result<BrokerData> BrokerData::FromJson(const nlohmann::json& j) {
  BrokerData bd;
  Result<JsonFields> fields = JsonFields::Of(j, "BrokerData");
  if (!fields.ok()) return fields.status();
  HOLDFAST_RETURN_IF_ERROR(fields->Read("cluster", &bd.cluster));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("brokerName", &bd.broker_name));
  if (const nlohmann::json* addrs = fields->Find("brokerAddrs")) {
    if (!addrs->is_object()) return fields->Error("brokerAddrs", "must be an object");
    for (const auto& [key, addr] : addrs->items()) {
      int64_t id = 0;
      auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
      if (ec != std::errc() || end != key.data() + key.size() || !addr.is_string()) {
        return Status::Corruption("BrokerData " + bd.broker_name +
                                  " has a bad brokerAddrs entry '" + key + "'");
      }
      bd.broker_addrs[id] = addr.get<std::string>();
    }
  }
  return bd;
}

}  // namespace holdfast::protocol
