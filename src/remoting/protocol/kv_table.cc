#include "remoting/protocol/kv_table.h"

#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

std::string EncodeKvTable(const KVTable& table) {
  return DumpJson(nlohmann::json{{"table", table.table}});
}

Result<KVTable> DecodeKvTable(std::string_view body) {
  Result<nlohmann::json> j = ParseJsonObject(body, "KVTable");
  if (!j.ok()) return j.status();
  Result<JsonFields> fields = JsonFields::Of(*j, "KVTable");
  if (!fields.ok()) return fields.status();
  const nlohmann::json* table = fields->Find("table");
  if (table == nullptr || !table->is_object()) return fields->Error("table", "must be an object");
  KVTable out;
  for (const auto& [k, v] : table->items()) {
    out.table[k] = v.is_string() ? v.get<std::string>() : DumpJson(v);
  }
  return out;
}

}  // namespace holdfast::protocol
