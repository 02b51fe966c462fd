#include "broker/data_version.h"

#include "common/clock.h"

namespace holdfast::broker {

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
  return nlohmann::json{{"counter", counter}, {"timestamp", timestamp}};
}

Result<DataVersion> DataVersion::FromJson(const nlohmann::json& j) {
  if (!j.is_object()) return Status::Corruption("dataVersion is not an object");
  DataVersion v;
  for (const char* key : {"counter", "timestamp"}) {
    auto it = j.find(key);
    if (it == j.end()) continue;
    if (!it->is_number_integer()) {
      return Status::Corruption(std::string("dataVersion.") + key + " is not an integer");
    }
    (std::string_view(key) == "counter" ? v.counter : v.timestamp) = it->get<int64_t>();
  }
  return v;
}

}  // namespace holdfast::broker
