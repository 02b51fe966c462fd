#include "remoting/protocol/topic_config.h"

#include <charconv>
#include <vector>

#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

std::string_view TopicFilterTypeName(TopicFilterType type) {
  return type == TopicFilterType::kMultiTag ? "MULTI_TAG" : "SINGLE_TAG";
}

Result<TopicFilterType> ParseTopicFilterType(std::string_view name) {
  if (name == "SINGLE_TAG") return TopicFilterType::kSingleTag;
  if (name == "MULTI_TAG") return TopicFilterType::kMultiTag;
  return Status::InvalidArgument("topicFilterType must be SINGLE_TAG or MULTI_TAG: " +
                                 std::string(name));
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
  TopicConfig c;
  if (j.is_object()) {
    if (auto name = j.find("topicName"); name != j.end() && name->is_string()) {
      c.topic_name = name->get<std::string>();
    }
  }
  Result<JsonFields> fields = JsonFields::Of(j, "TopicConfig " + c.topic_name);
  if (!fields.ok()) return fields.status();
  HOLDFAST_RETURN_IF_ERROR(fields->Read("topicName", &c.topic_name));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("readQueueNums", &c.read_queue_nums));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("writeQueueNums", &c.write_queue_nums));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("perm", &c.perm));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("topicSysFlag", &c.topic_sys_flag));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("order", &c.order));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("attributes", &c.attributes));
  std::string filter(TopicFilterTypeName(c.topic_filter_type));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("topicFilterType", &filter));
  Result<TopicFilterType> type = ParseTopicFilterType(filter);
  if (!type.ok()) return fields->Error("topicFilterType", "is bad: " + filter);
  c.topic_filter_type = *type;
  if (c.read_queue_nums < 0 || c.write_queue_nums < 0) {
    return Status::Corruption("TopicConfig " + c.topic_name + ": negative queue count");
  }
  return c;
}

std::string TopicConfig::EncodeText() const {
  std::string out = topic_name + ' ' + std::to_string(read_queue_nums) + ' ' +
                    std::to_string(write_queue_nums) + ' ' + std::to_string(perm) + ' ' +
                    std::string(TopicFilterTypeName(topic_filter_type));
  if (!attributes.empty()) out += ' ' + nlohmann::json(attributes).dump();
  return out;
}

Result<TopicConfig> TopicConfig::DecodeText(std::string_view text) {
  // Java splits on single spaces; attributes JSON holds none (fastjson writes it compact).
  std::vector<std::string_view> parts;
  for (size_t start = 0; start <= text.size();) {
    size_t space = text.find(' ', start);
    if (space == std::string_view::npos) space = text.size();
    parts.push_back(text.substr(start, space - start));
    start = space + 1;
  }
  auto bad = [&](std::string_view why) {
    return Status::Corruption("bad TopicConfig text (" + std::string(why) +
                              "): " + std::string(text.substr(0, 200)));
  };
  if (parts.size() < 5) return bad("fewer than five fields");
  TopicConfig c;
  c.topic_name = std::string(parts[0]);
  int32_t* numbers[] = {&c.read_queue_nums, &c.write_queue_nums, &c.perm};
  for (size_t i = 0; i < 3; ++i) {
    std::string_view n = parts[i + 1];
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), *numbers[i]);
    if (ec != std::errc() || end != n.data() + n.size() || n.empty()) return bad("a number");
  }
  Result<TopicFilterType> type = ParseTopicFilterType(parts[4]);
  if (!type.ok()) return bad("topicFilterType");
  c.topic_filter_type = *type;
  if (parts.size() >= 6) {
    const size_t at = static_cast<size_t>(parts[5].data() - text.data());
    nlohmann::json attrs = nlohmann::json::parse(text.substr(at), nullptr, false);
    if (attrs.is_discarded() || !attrs.is_object()) return bad("attributes");
    for (const auto& [k, v] : attrs.items()) {
      if (!v.is_string()) return bad("attributes");
      c.attributes[k] = v.get<std::string>();
    }
  }
  return c;
}

}  // namespace holdfast::protocol
