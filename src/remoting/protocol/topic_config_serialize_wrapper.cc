#include "remoting/protocol/topic_config_serialize_wrapper.h"

#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

nlohmann::json TopicConfigSerializeWrapper::ToJson() const {
  nlohmann::json table = nlohmann::json::object();
  for (const auto& [name, config] : topic_config_table) table[name] = config.ToJson();
  nlohmann::json j{{"topicConfigTable", std::move(table)}};
  if (data_version) j["dataVersion"] = data_version->ToJson();
  return j;
}

Result<TopicConfigSerializeWrapper> TopicConfigSerializeWrapper::FromJson(const nlohmann::json& j) {
  Result<JsonFields> fields = JsonFields::Of(j, "TopicConfigSerializeWrapper");
  if (!fields.ok()) return fields.status();
  TopicConfigSerializeWrapper w;
  if (const nlohmann::json* table = fields->Find("topicConfigTable")) {
    if (!table->is_object()) return fields->Error("topicConfigTable", "is not an object");
    for (const auto& [name, value] : table->items()) {
      Result<TopicConfig> config = TopicConfig::FromJson(value);
      if (!config.ok()) return config.status();
      if (config->topic_name.empty()) config->topic_name = name;
      w.topic_config_table[name] = std::move(config).value();
    }
  }
  if (const nlohmann::json* version = fields->Find("dataVersion")) {
    Result<DataVersion> v = DataVersion::FromJson(*version);
    if (!v.ok()) return v.status();
    w.data_version = *v;
  }
  return w;
}

std::string EncodeTopicConfigSerializeWrapper(const TopicConfigSerializeWrapper& wrapper,
                                              bool pretty) {
  const nlohmann::json j = wrapper.ToJson();
  return pretty ? j.dump(1, '\t', false, nlohmann::json::error_handler_t::replace) : DumpJson(j);
}

Result<TopicConfigSerializeWrapper> DecodeTopicConfigSerializeWrapper(std::string_view body) {
  Result<nlohmann::json> j = ParseJsonObject(body, "TopicConfigSerializeWrapper");
  if (!j.ok()) return j.status();
  return TopicConfigSerializeWrapper::FromJson(*j);
}

}  // namespace holdfast::protocol
