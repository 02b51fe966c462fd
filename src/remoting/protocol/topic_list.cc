#include "remoting/protocol/topic_list.h"

#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

std::string EncodeTopicList(const TopicList& list) {
  return DumpJson(nlohmann::json{{"topicList", list.topic_list}});
}

Result<TopicList> DecodeTopicList(std::string_view body) {
  Result<nlohmann::json> j = ParseJsonObject(body, "TopicList");
  if (!j.ok()) return j.status();
  Result<JsonFields> fields = JsonFields::Of(*j, "TopicList");
  if (!fields.ok()) return fields.status();
  const nlohmann::json* topics = fields->Find("topicList");
  if (topics == nullptr || !topics->is_array()) {
    return fields->Error("topicList", "must be an array");
  }
  TopicList list;
  for (const nlohmann::json& topic : *topics) {
    if (!topic.is_string()) return fields->Error("topicList", "must hold topic names");
    list.topic_list.insert(topic.get<std::string>());
  }
  return list;
}

}  // namespace holdfast::protocol
