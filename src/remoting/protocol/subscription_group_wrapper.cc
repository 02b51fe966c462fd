#include "remoting/protocol/subscription_group_wrapper.h"

#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

using nlohmann::json;

std::string EncodeSubscriptionGroupWrapper(const SubscriptionGroupWrapper& wrapper, bool pretty) {
  json table = json::object();
  for (const auto& [name, config] : wrapper.subscription_group_table) {
    table[name] = config.ToJson();
  }
  json j{{"forbiddenTable", wrapper.forbidden_table}, {"subscriptionGroupTable", std::move(table)}};
  if (wrapper.data_version) j["dataVersion"] = wrapper.data_version->ToJson();
  return pretty ? j.dump(1, '\t', false, json::error_handler_t::replace) : DumpJson(j);
}

Result<SubscriptionGroupWrapper> DecodeSubscriptionGroupWrapper(std::string_view body) {
  Result<json> j = ParseJsonObject(body, "SubscriptionGroupWrapper");
  if (!j.ok()) return j.status();
  Result<JsonFields> fields = JsonFields::Of(*j, "SubscriptionGroupWrapper");
  if (!fields.ok()) return fields.status();
  SubscriptionGroupWrapper w;
  if (const json* table = fields->Find("subscriptionGroupTable")) {
    if (!table->is_object()) return fields->Error("subscriptionGroupTable", "is not an object");
    for (const auto& [name, value] : table->items()) {
      Result<SubscriptionGroupConfig> config = SubscriptionGroupConfig::FromJson(value);
      if (!config.ok()) return config.status();
      if (config->group_name.empty()) config->group_name = name;
      w.subscription_group_table[name] = std::move(config).value();
    }
  }
  if (const json* forbidden = fields->Find("forbiddenTable")) {
    if (!forbidden->is_object()) return fields->Error("forbiddenTable", "is not an object");
    for (const auto& [group, topics] : forbidden->items()) {
      Result<JsonFields> by_topic = JsonFields::Of(topics, "forbiddenTable." + group);
      if (!by_topic.ok()) return by_topic.status();
      std::map<std::string, int32_t>& out = w.forbidden_table[group];
      for (const auto& [topic, bits] : topics.items()) {
        int32_t value = 0;
        HOLDFAST_RETURN_IF_ERROR(by_topic->Read(topic, &value));
        out[topic] = value;
      }
    }
  }
  if (const json* version = fields->Find("dataVersion")) {
    Result<DataVersion> v = DataVersion::FromJson(*version);
    if (!v.ok()) return v.status();
    w.data_version = *v;
  }
  return w;
}

}  // namespace holdfast::protocol
