#include "broker/topic_config.h"

namespace holdfast::broker {

std::string_view TopicFilterTypeName(TopicFilterType type) {
  return type == TopicFilterType::kMultiTag ? "MULTI_TAG" : "SINGLE_TAG";
}

nlohmann::json TopicConfig::ToJson() const {
  return nlohmann::json{{"attributes", attributes},
                        {"order", order},
                        {"perm", perm},
                        {"readQueueNums", read_queue_nums},
                        {"topicFilterType", TopicFilterTypeName(topic_filter_type)},
                        {"topicName", topic_name},
                        {"topicSysFlag", topic_sys_flag},
                        {"writeQueueNums", write_queue_nums}};
}

Result<TopicConfig> TopicConfig::FromJson(const nlohmann::json& j) {
  if (!j.is_object()) return Status::Corruption("TopicConfig is not an object");
  TopicConfig c;
  // nlohmann reports a wrong type by throwing; keep that inside this decoder.
  try {
    c.topic_name = j.value("topicName", std::string());
    c.read_queue_nums = j.value("readQueueNums", kDefaultReadQueueNums);
    c.write_queue_nums = j.value("writeQueueNums", kDefaultWriteQueueNums);
    c.perm = j.value("perm", kPermRead | kPermWrite);
    c.topic_sys_flag = j.value("topicSysFlag", 0);
    c.order = j.value("order", false);
    std::string filter = j.value("topicFilterType", std::string("SINGLE_TAG"));
    if (filter == "SINGLE_TAG") {
      c.topic_filter_type = TopicFilterType::kSingleTag;
    } else if (filter == "MULTI_TAG") {
      c.topic_filter_type = TopicFilterType::kMultiTag;
    } else {
      return Status::Corruption("TopicConfig " + c.topic_name + ": bad topicFilterType " + filter);
    }
    auto attrs = j.find("attributes");
    if (attrs != j.end() && !attrs->is_null()) {
      c.attributes = attrs->get<std::map<std::string, std::string>>();
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption("TopicConfig " + c.topic_name + ": " + e.what());
  }
  if (c.read_queue_nums < 0 || c.write_queue_nums < 0) {
    return Status::Corruption("TopicConfig " + c.topic_name + ": negative queue count");
  }
  return c;
}

}  // namespace holdfast::broker
