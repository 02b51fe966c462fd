#include "remoting/protocol/get_consumer_list_by_group_response_body.h"

#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

std::string EncodeGetConsumerListByGroupResponseBody(
    const GetConsumerListByGroupResponseBody& body) {
  return DumpJson(nlohmann::json{{"consumerIdList", body.consumer_id_list}});
}

Result<GetConsumerListByGroupResponseBody> DecodeGetConsumerListByGroupResponseBody(
    std::string_view body) {
  Result<nlohmann::json> j = ParseJsonObject(body, "GetConsumerListByGroupResponseBody");
  if (!j.ok()) return j.status();
  Result<JsonFields> fields = JsonFields::Of(*j, "GetConsumerListByGroupResponseBody");
  if (!fields.ok()) return fields.status();
  const nlohmann::json* ids = fields->Find("consumerIdList");
  if (ids == nullptr || !ids->is_array())
    return fields->Error("consumerIdList", "must be an array");
  GetConsumerListByGroupResponseBody out;
  for (const nlohmann::json& id : *ids) {
    if (!id.is_string()) return fields->Error("consumerIdList", "must hold client ids");
    out.consumer_id_list.push_back(id.get<std::string>());
  }
  return out;
}

}  // namespace holdfast::protocol
