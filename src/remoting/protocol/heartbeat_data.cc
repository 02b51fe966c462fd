#include "remoting/protocol/heartbeat_data.h"

#include <array>

#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 3> kConsumeTypeNames = {"CONSUME_ACTIVELY",
                                                               "CONSUME_PASSIVELY", "CONSUME_POP"};
constexpr std::array<std::string_view, 2> kMessageModelNames = {"BROADCASTING", "CLUSTERING"};
constexpr std::array<std::string_view, 6> kConsumeFromWhereNames = {
    "CONSUME_FROM_LAST_OFFSET",  "CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST",
    "CONSUME_FROM_MIN_OFFSET",   "CONSUME_FROM_MAX_OFFSET",
    "CONSUME_FROM_FIRST_OFFSET", "CONSUME_FROM_TIMESTAMP"};

// An enum given by Java name or by ordinal; `names` is indexed by ordinal. Absent keeps *out.
template <size_t N>
Status ReadEnum(const JsonFields& fields, std::string_view key,
                const std::array<std::string_view, N>& names, int32_t* out) {
  const json* v = fields.Find(key);
  if (v == nullptr) return Status::Ok();
  if (v->is_number_integer()) {
    const int64_t ordinal = v->is_number_unsigned() && v->get<uint64_t>() > uint64_t{INT64_MAX}
                                ? -1
                                : v->get<int64_t>();
    if (ordinal < 0 || ordinal >= static_cast<int64_t>(N)) {
      return fields.Error(key, "has the unknown ordinal " + v->dump());
    }
    *out = static_cast<int32_t>(ordinal);
    return Status::Ok();
  }
  if (v->is_string()) {
    const std::string& name = v->get_ref<const std::string&>();
    for (size_t i = 0; i < N; ++i) {
      if (names[i] == name) {
        *out = static_cast<int32_t>(i);
        return Status::Ok();
      }
    }
    return fields.Error(key, "has the unknown value \"" + name + "\"");
  }
  return fields.Error(key, "must be a name or an ordinal");
}

Result<ConsumerData> DecodeConsumer(const json& j, const std::string& where) {
  Result<JsonFields> fields = JsonFields::Of(j, where);
  if (!fields.ok()) return fields.status();
  ConsumerData c;
  HOLDFAST_RETURN_IF_ERROR(fields->ReadRequired("groupName", &c.group_name));
  int32_t consume_type = static_cast<int32_t>(c.consume_type);
  int32_t message_model = c.message_model == MessageModel::kBroadcasting ? 0 : 1;
  HOLDFAST_RETURN_IF_ERROR(ReadEnum(*fields, "consumeType", kConsumeTypeNames, &consume_type));
  HOLDFAST_RETURN_IF_ERROR(ReadEnum(*fields, "messageModel", kMessageModelNames, &message_model));
  HOLDFAST_RETURN_IF_ERROR(
      ReadEnum(*fields, "consumeFromWhere", kConsumeFromWhereNames, &c.consume_from_where));
  c.consume_type = static_cast<ConsumeType>(consume_type);
  c.message_model = message_model == 0 ? MessageModel::kBroadcasting : MessageModel::kClustering;
  HOLDFAST_RETURN_IF_ERROR(fields->Read("unitMode", &c.unit_mode));
  if (const json* set = fields->Find("subscriptionDataSet")) {
    if (!set->is_array()) return fields->Error("subscriptionDataSet", "must be an array");
    for (size_t i = 0; i < set->size(); ++i) {
      Result<SubscriptionData> sd = SubscriptionData::FromJson(
          (*set)[i], where + ".subscriptionDataSet[" + std::to_string(i) + "]");
      if (!sd.ok()) return sd.status();
      c.subscription_data_set.push_back(std::move(sd).value());
    }
  }
  return c;
}

}  // namespace

std::string_view ConsumeTypeName(ConsumeType type) {
  const auto i = static_cast<size_t>(type);
  return i < kConsumeTypeNames.size() ? kConsumeTypeNames[i] : "CONSUME_PASSIVELY";
}

std::string_view MessageModelName(MessageModel model) {
  return model == MessageModel::kBroadcasting ? "BROADCASTING" : "CLUSTERING";
}

std::string_view ConsumeFromWhereName(int32_t ordinal) {
  if (ordinal < 0 || static_cast<size_t>(ordinal) >= kConsumeFromWhereNames.size()) return "";
  return kConsumeFromWhereNames[static_cast<size_t>(ordinal)];
}

int32_t ConsumeFromWhereOrdinal(ConsumeFromWhere where) {
  switch (where) {
    case ConsumeFromWhere::kConsumeFromFirstOffset:
      return 4;
    case ConsumeFromWhere::kConsumeFromTimestamp:
      return 5;
    case ConsumeFromWhere::kConsumeFromLastOffset:
      break;
  }
  return 0;
}

std::string EncodeHeartbeatData(const HeartbeatData& data) {
  json producers = json::array();
  for (const ProducerData& p : data.producer_data_set) {
    producers.push_back(json{{"groupName", p.group_name}});
  }
  json consumers = json::array();
  for (const ConsumerData& c : data.consumer_data_set) {
    json subs = json::array();
    for (const SubscriptionData& s : c.subscription_data_set) subs.push_back(s.ToJson());
    const std::string_view from_where = ConsumeFromWhereName(c.consume_from_where);
    consumers.push_back(json{
        {"consumeFromWhere", from_where.empty() ? json(c.consume_from_where) : json(from_where)},
        {"consumeType", ConsumeTypeName(c.consume_type)},
        {"groupName", c.group_name},
        {"messageModel", MessageModelName(c.message_model)},
        {"subscriptionDataSet", std::move(subs)},
        {"unitMode", c.unit_mode}});
  }
  // nlohmann::json objects are std::map-backed, so keys come out sorted as fastjson writes them.
  return DumpJson(json{{"clientID", data.client_id},
                       {"consumerDataSet", std::move(consumers)},
                       {"producerDataSet", std::move(producers)}});
}

Result<HeartbeatData> DecodeHeartbeatData(std::string_view body) {
  Result<json> j = ParseJsonObject(body, "HeartbeatData");
  if (!j.ok()) return j.status();
  Result<JsonFields> fields = JsonFields::Of(*j, "HeartbeatData");
  if (!fields.ok()) return fields.status();
  HeartbeatData hb;
  HOLDFAST_RETURN_IF_ERROR(fields->ReadRequired("clientID", &hb.client_id));
  if (const json* set = fields->Find("producerDataSet")) {
    if (!set->is_array()) return fields->Error("producerDataSet", "must be an array");
    for (size_t i = 0; i < set->size(); ++i) {
      Result<JsonFields> producer =
          JsonFields::Of((*set)[i], "HeartbeatData producerDataSet[" + std::to_string(i) + "]");
      if (!producer.ok()) return producer.status();
      ProducerData p;
      HOLDFAST_RETURN_IF_ERROR(producer->ReadRequired("groupName", &p.group_name));
      hb.producer_data_set.push_back(std::move(p));
    }
  }
  if (const json* set = fields->Find("consumerDataSet")) {
    if (!set->is_array()) return fields->Error("consumerDataSet", "must be an array");
    for (size_t i = 0; i < set->size(); ++i) {
      Result<ConsumerData> c =
          DecodeConsumer((*set)[i], "HeartbeatData consumerDataSet[" + std::to_string(i) + "]");
      if (!c.ok()) return c.status();
      hb.consumer_data_set.push_back(std::move(c).value());
    }
  }
  return hb;
}

}  // namespace holdfast::protocol
