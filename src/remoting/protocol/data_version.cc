#include "remoting/protocol/data_version.h"

#include "common/clock.h"
#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

DataVersion DataVersion::Now() {
  DataVersion v;
  v.timestamp = NowMillis();
  return v;
}

void DataVersion::NextVersion() {
  timestamp = NowMillis();
  ++counter;
}

nlohmann::json DataVersion::ToJson() const {
  return nlohmann::json{
      {"counter", counter}, {"stateVersion", state_version}, {"timestamp", timestamp}};
}

Result<DataVersion> DataVersion::FromJson(const nlohmann::json& j) {
  Result<JsonFields> fields = JsonFields::Of(j, "dataVersion");
  if (!fields.ok()) return fields.status();
  DataVersion v;
  HOLDFAST_RETURN_IF_ERROR(fields->Read("counter", &v.counter));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("stateVersion", &v.state_version));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("timestamp", &v.timestamp));
  return v;
}

std::string EncodeDataVersion(const DataVersion& version) { return DumpJson(version.ToJson()); }

Result<DataVersion> DecodeDataVersion(std::string_view body) {
  Result<nlohmann::json> j = ParseJsonObject(body, "DataVersion");
  if (!j.ok()) return j.status();
  return DataVersion::FromJson(*j);
}

}  // namespace holdfast::protocol
