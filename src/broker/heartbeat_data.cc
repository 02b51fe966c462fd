#include "broker/heartbeat_data.h"

#include <charconv>

#include <nlohmann/json.hpp>

#include "broker/pull_message_processor.h"
#include "common/java_hash.h"

namespace holdfast::broker {

using nlohmann::json;

std::string_view ConsumeTypeName(ConsumeType t) {
  switch (t) {
    case ConsumeType::kConsumeActively:
      return "CONSUME_ACTIVELY";
    case ConsumeType::kConsumePassively:
      return "CONSUME_PASSIVELY";
    case ConsumeType::kConsumePop:
      return "CONSUME_POP";
  }
  return "CONSUME_PASSIVELY";
}

std::string_view MessageModelName(MessageModel m) {
  return m == MessageModel::kBroadcasting ? "BROADCASTING" : "CLUSTERING";
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
    sd.code_set.insert(static_cast<int32_t>(JavaStringHashCode(tag)));
    sd.tags_set.insert(std::move(tag));
  }
  return sd;
}

namespace {

Status Bad(const std::string& path, std::string_view problem) {
  return Status::InvalidArgument("HeartbeatData " + path + ": " + std::string(problem));
}

Status ReadString(const json& obj, const char* key, const std::string& path, bool required,
                  std::string* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    return required ? Bad(path + key, "missing") : Status::Ok();
  }
  if (!it->is_string()) return Bad(path + key, "must be a string");
  *out = it->get<std::string>();
  return Status::Ok();
}

// An enum given by Java name or by ordinal; `names` is indexed by ordinal.
Status ReadEnum(const json& obj, const char* key, const std::string& path,
                const std::vector<std::string_view>& names, int32_t* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();  // keep the default
  if (it->is_number_integer()) {
    int64_t v = it->get<int64_t>();
    if (v < 0 || v >= static_cast<int64_t>(names.size())) {
      return Bad(path + key, "unknown ordinal " + std::to_string(v));
    }
    *out = static_cast<int32_t>(v);
    return Status::Ok();
  }
  if (it->is_string()) {
    const std::string s = it->get<std::string>();
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == s) {
        *out = static_cast<int32_t>(i);
        return Status::Ok();
      }
    }
    return Bad(path + key, "unknown value \"" + s + "\"");
  }
  return Bad(path + key, "must be a name or an ordinal");
}

Status ReadLong(const json& obj, const char* key, const std::string& path, int64_t* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (it->is_number_integer()) {
    *out = it->get<int64_t>();
    return Status::Ok();
  }
  if (it->is_string()) {
    const std::string s = it->get<std::string>();
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    if (ec == std::errc() && end == s.data() + s.size()) return Status::Ok();
  }
  return Bad(path + key, "must be an integer");
}

Result<SubscriptionData> DecodeSubscription(const json& j, const std::string& path) {
  if (!j.is_object()) return Bad(path, "must be an object");
  std::string topic;
  std::string sub_string = std::string(kSubAll);
  std::string expression_type;
  int64_t sub_version = 0;
  HOLDFAST_RETURN_IF_ERROR(ReadString(j, "topic", path + ".", true, &topic));
  HOLDFAST_RETURN_IF_ERROR(ReadString(j, "subString", path + ".", false, &sub_string));
  HOLDFAST_RETURN_IF_ERROR(ReadString(j, "expressionType", path + ".", false, &expression_type));
  HOLDFAST_RETURN_IF_ERROR(ReadLong(j, "subVersion", path + ".", &sub_version));
  return BuildSubscriptionData(std::move(topic), sub_string, expression_type, sub_version);
}

Result<ConsumerData> DecodeConsumer(const json& j, const std::string& path) {
  if (!j.is_object()) return Bad(path, "must be an object");
  ConsumerData c;
  const std::string p = path + ".";
  HOLDFAST_RETURN_IF_ERROR(ReadString(j, "groupName", p, true, &c.group_name));
  int32_t consume_type = static_cast<int32_t>(c.consume_type);
  int32_t message_model = static_cast<int32_t>(c.message_model);
  HOLDFAST_RETURN_IF_ERROR(ReadEnum(j, "consumeType", p,
                                    {"CONSUME_ACTIVELY", "CONSUME_PASSIVELY", "CONSUME_POP"},
                                    &consume_type));
  HOLDFAST_RETURN_IF_ERROR(
      ReadEnum(j, "messageModel", p, {"BROADCASTING", "CLUSTERING"}, &message_model));
  HOLDFAST_RETURN_IF_ERROR(
      ReadEnum(j, "consumeFromWhere", p,
               {"CONSUME_FROM_LAST_OFFSET", "CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST",
                "CONSUME_FROM_MIN_OFFSET", "CONSUME_FROM_MAX_OFFSET", "CONSUME_FROM_FIRST_OFFSET",
                "CONSUME_FROM_TIMESTAMP"},
               &c.consume_from_where));
  c.consume_type = static_cast<ConsumeType>(consume_type);
  c.message_model = static_cast<MessageModel>(message_model);
  if (auto it = j.find("unitMode"); it != j.end() && !it->is_null()) {
    if (!it->is_boolean()) return Bad(p + "unitMode", "must be a boolean");
    c.unit_mode = it->get<bool>();
  }
  if (auto it = j.find("subscriptionDataSet"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return Bad(p + "subscriptionDataSet", "must be an array");
    for (size_t i = 0; i < it->size(); ++i) {
      Result<SubscriptionData> sd =
          DecodeSubscription((*it)[i], p + "subscriptionDataSet[" + std::to_string(i) + "]");
      if (!sd.ok()) return sd.status();
      c.subscription_data_set.push_back(std::move(sd).value());
    }
  }
  return c;
}

}  // namespace

Result<HeartbeatData> DecodeHeartbeatData(std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("HeartbeatData: body is not a JSON object");
  }
  HeartbeatData hb;
  HOLDFAST_RETURN_IF_ERROR(ReadString(j, "clientID", "", true, &hb.client_id));
  if (auto it = j.find("producerDataSet"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return Bad("producerDataSet", "must be an array");
    for (size_t i = 0; i < it->size(); ++i) {
      const std::string path = "producerDataSet[" + std::to_string(i) + "]";
      if (!(*it)[i].is_object()) return Bad(path, "must be an object");
      ProducerData p;
      HOLDFAST_RETURN_IF_ERROR(ReadString((*it)[i], "groupName", path + ".", true, &p.group_name));
      hb.producer_data_set.push_back(std::move(p));
    }
  }
  if (auto it = j.find("consumerDataSet"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return Bad("consumerDataSet", "must be an array");
    for (size_t i = 0; i < it->size(); ++i) {
      Result<ConsumerData> c =
          DecodeConsumer((*it)[i], "consumerDataSet[" + std::to_string(i) + "]");
      if (!c.ok()) return c.status();
      hb.consumer_data_set.push_back(std::move(c).value());
    }
  }
  return hb;
}

}  // namespace holdfast::broker
