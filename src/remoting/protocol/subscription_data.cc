#include "remoting/protocol/subscription_data.h"

#include <algorithm>

#include "common/java_hash.h"
#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

nlohmann::json SubscriptionData::ToJson() const {
  return nlohmann::json{{"classFilterMode", false},
                        {"codeSet", code_set},
                        {"expressionType", expression_type},
                        {"subString", sub_string},
                        {"subVersion", sub_version},
                        {"tagsSet", tags_set},
                        {"topic", topic}};
}

Result<SubscriptionData> SubscriptionData::FromJson(const nlohmann::json& j,
                                                    const std::string& where) {
  Result<JsonFields> fields = JsonFields::Of(j, where);
  if (!fields.ok()) return fields.status();
  std::string topic;
  std::string sub_string(kSubAll);
  std::string expression_type;
  int64_t sub_version = 0;
  HOLDFAST_RETURN_IF_ERROR(fields->ReadRequired("topic", &topic));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("subString", &sub_string));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("expressionType", &expression_type));
  HOLDFAST_RETURN_IF_ERROR(fields->Read("subVersion", &sub_version));
  return BuildSubscriptionData(std::move(topic), sub_string, expression_type, sub_version);
}

std::vector<std::string> ParseSubscriptionTags(std::string_view expression) {
  std::vector<std::string> tags;
  expression = Trim(expression);
  if (expression.empty() || expression == kSubAll) return tags;
  while (true) {
    const size_t sep = expression.find("||");
    const std::string_view part = Trim(expression.substr(0, sep));
    if (!part.empty() && std::find(tags.begin(), tags.end(), part) == tags.end()) {
      tags.emplace_back(part);
    }
    if (sep == std::string_view::npos) break;
    expression.remove_prefix(sep + 2);
  }
  return tags;
}

SubscriptionData BuildSubscriptionData(std::string topic, std::string_view sub_string,
                                       std::string_view expression_type, int64_t sub_version) {
  SubscriptionData sd;
  sd.topic = std::move(topic);
  sd.sub_version = sub_version;
  sd.expression_type =
      expression_type.empty() ? std::string(kExpressionTypeTag) : std::string(expression_type);
  if (sd.expression_type != kExpressionTypeTag) {
    sd.sub_string = std::string(sub_string);
    return sd;
  }
  std::vector<std::string> tags = ParseSubscriptionTags(sub_string);
  if (tags.empty()) {
    sd.sub_string = std::string(kSubAll);
    return sd;
  }
  sd.sub_string = std::string(sub_string);
  for (std::string& tag : tags) {
    sd.code_set.insert(JavaStringHashCode(tag));
    sd.tags_set.insert(std::move(tag));
  }
  return sd;
}

bool MatchesTag(const SubscriptionData& subscription, std::string_view tag) {
  if (subscription.sub_string == kSubAll) return true;
  return subscription.tags_set.count(std::string(tag)) > 0;
}

}  // namespace holdfast::protocol
