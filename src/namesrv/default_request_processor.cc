#include "namesrv/default_request_processor.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>

#include "common/crc32.h"
#include "remoting/protocol/kv_table.h"
#include "remoting/protocol/mq_version.h"
#include "remoting/protocol/register_broker_body.h"
#include "remoting/protocol/topic_list.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::namesrv {
namespace {

using protocol::ClusterInfo;
using protocol::DataVersion;
using protocol::DecodeCompressedRegisterBrokerBody;
using protocol::DecodeDataVersion;
using protocol::DecodeRegisterBrokerBody;
using protocol::EncodeClusterInfo;
using protocol::EncodeDataVersion;
using protocol::EncodeKvTable;
using protocol::EncodeTopicList;
using protocol::EncodeTopicRouteData;
using protocol::JsonStyle;
using protocol::KVTable;
using protocol::RegisterBrokerBody;
using protocol::TopicList;
using protocol::TopicRouteData;
using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;

RemotingCommand Response(const RemotingCommand& request, int32_t code,
                         std::optional<std::string> remark = std::nullopt) {
  RemotingCommand response = RemotingCommand::CreateResponse(request, code, std::move(remark));
  response.version = protocol::kCurrentVersion;
  return response;
}

// Java's RemotingCommandException text for a missing @CFNotNull field, answered as SYSTEM_ERROR.
RemotingCommand MissingField(const RemotingCommand& request, std::string_view key) {
  return Response(request, ResponseCode::SYSTEM_ERROR,
                  "the custom field <" + std::string(key) + "> is null");
}

RemotingCommand BadField(const RemotingCommand& request, std::string_view key) {
  return Response(request, ResponseCode::SYSTEM_ERROR,
                  "the custom field <" + std::string(key) + "> is not a valid number");
}

std::optional<int64_t> ParseInt64(const std::string& text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// Java's Boolean.parseBoolean: only "true", in any case.
bool ParseBool(const std::string* text) {
  if (text == nullptr || text->size() != 4) return false;
  std::string lower = *text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "true";
}

}  // namespace

DefaultRequestProcessor::DefaultRequestProcessor(const NamesrvConfig& config,
                                                 RouteInfoManager& route_info_manager,
                                                 KvConfigManager& kv_config_manager)
    : config_(config),
      route_info_manager_(route_info_manager),
      kv_config_manager_(kv_config_manager) {}

void DefaultRequestProcessor::RegisterOn(remoting::RemotingServer& server) {
  for (int32_t code :
       {RequestCode::PUT_KV_CONFIG, RequestCode::GET_KV_CONFIG, RequestCode::DELETE_KV_CONFIG,
        RequestCode::GET_KVLIST_BY_NAMESPACE, RequestCode::QUERY_DATA_VERSION,
        RequestCode::REGISTER_BROKER, RequestCode::UNREGISTER_BROKER,
        RequestCode::GET_ROUTEINFO_BY_TOPIC, RequestCode::GET_BROKER_CLUSTER_INFO,
        RequestCode::GET_ALL_TOPIC_LIST_FROM_NAMESERVER, RequestCode::DELETE_TOPIC_IN_NAMESRV,
        RequestCode::GET_TOPICS_BY_CLUSTER}) {
    server.RegisterProcessor(
        code, [this](const RemotingCommand& request, remoting::ResponseWriter writer) {
          RemotingCommand response = ProcessRequest(request, writer);
          if (request.IsOneway()) return;
          Status s = writer.Write(std::move(response));
          if (!s.ok()) spdlog::debug("namesrv response not sent: {}", s.ToString());
        });
  }
}

RemotingCommand DefaultRequestProcessor::ProcessRequest(const RemotingCommand& request,
                                                        const remoting::ResponseWriter& writer) {
  switch (request.code) {
    case RequestCode::PUT_KV_CONFIG:
      return PutKvConfig(request);
    case RequestCode::GET_KV_CONFIG:
      return GetKvConfig(request);
    case RequestCode::DELETE_KV_CONFIG:
      return DeleteKvConfig(request);
    case RequestCode::GET_KVLIST_BY_NAMESPACE:
      return GetKvListByNamespace(request);
    case RequestCode::QUERY_DATA_VERSION:
      return QueryBrokerTopicConfig(request);
    case RequestCode::REGISTER_BROKER:
      return RegisterBroker(request, writer);
    case RequestCode::UNREGISTER_BROKER:
      return UnregisterBroker(request);
    case RequestCode::GET_ROUTEINFO_BY_TOPIC:
      return GetRouteInfoByTopic(request);
    case RequestCode::GET_BROKER_CLUSTER_INFO:
      return GetBrokerClusterInfo(request);
    case RequestCode::GET_ALL_TOPIC_LIST_FROM_NAMESERVER:
      return GetAllTopicListFromNameserver(request);
    case RequestCode::DELETE_TOPIC_IN_NAMESRV:
      return DeleteTopicInNamesrv(request);
    case RequestCode::GET_TOPICS_BY_CLUSTER:
      return GetTopicsByCluster(request);
    default:
      return Response(request, ResponseCode::REQUEST_CODE_NOT_SUPPORTED,
                      " request type " + std::to_string(request.code) + " not supported");
  }
}

RemotingCommand DefaultRequestProcessor::PutKvConfig(const Command& request) {
  const std::string* ns = request.FindExtField("namespace");
  const std::string* key = request.FindExtField("key");
  const std::string* value = request.FindExtField("value");
  if (ns == nullptr) return MissingField(request, "namespace");
  if (key == nullptr) return MissingField(request, "key");
  if (value == nullptr) return MissingField(request, "value");
  kv_config_manager_.PutKvConfig(*ns, *key, *value);
  return Response(request, ResponseCode::SUCCESS);
}

RemotingCommand DefaultRequestProcessor::GetKvConfig(const Command& request) {
  const std::string* ns = request.FindExtField("namespace");
  const std::string* key = request.FindExtField("key");
  if (ns == nullptr) return MissingField(request, "namespace");
  if (key == nullptr) return MissingField(request, "key");
  std::optional<std::string> value = kv_config_manager_.GetKvConfig(*ns, *key);
  if (!value) {
    return Response(request, ResponseCode::QUERY_NOT_FOUND,
                    "No config item, Namespace: " + *ns + " Key: " + *key);
  }
  RemotingCommand response = Response(request, ResponseCode::SUCCESS);
  response.SetExtField("value", *value);
  return response;
}

RemotingCommand DefaultRequestProcessor::DeleteKvConfig(const Command& request) {
  const std::string* ns = request.FindExtField("namespace");
  const std::string* key = request.FindExtField("key");
  if (ns == nullptr) return MissingField(request, "namespace");
  if (key == nullptr) return MissingField(request, "key");
  kv_config_manager_.DeleteKvConfig(*ns, *key);
  return Response(request, ResponseCode::SUCCESS);
}

RemotingCommand DefaultRequestProcessor::GetKvListByNamespace(const Command& request) {
  const std::string* ns = request.FindExtField("namespace");
  if (ns == nullptr) return MissingField(request, "namespace");
  auto table = kv_config_manager_.GetKvListByNamespace(*ns);
  if (!table) {
    return Response(request, ResponseCode::QUERY_NOT_FOUND, "No config item, Namespace: " + *ns);
  }
  RemotingCommand response = Response(request, ResponseCode::SUCCESS);
  response.body = EncodeKvTable(KVTable{std::move(*table)});
  return response;
}

RemotingCommand DefaultRequestProcessor::QueryBrokerTopicConfig(const Command& request) {
  const std::string* addr = request.FindExtField("brokerAddr");
  if (addr == nullptr) return MissingField(request, "brokerAddr");
  Result<DataVersion> version = DecodeDataVersion(request.body);
  if (!version.ok()) {
    return Response(request, ResponseCode::SYSTEM_ERROR, version.status().ToString());
  }
  bool changed = route_info_manager_.IsBrokerTopicConfigChanged(*addr, *version);
  if (!changed) route_info_manager_.UpdateBrokerInfoUpdateTimestamp(*addr);
  RemotingCommand response = Response(request, ResponseCode::SUCCESS);
  response.SetExtField("changed", changed ? "true" : "false");
  if (auto stored = route_info_manager_.QueryBrokerTopicConfig(*addr)) {
    response.body = EncodeDataVersion(*stored);
  }
  return response;
}

RemotingCommand DefaultRequestProcessor::RegisterBroker(const Command& request,
                                                        const remoting::ResponseWriter& writer) {
  RegisterBrokerRequest reg;
  for (auto [key, out] : {std::pair<const char*, std::string*>{"brokerName", &reg.broker_name},
                          {"brokerAddr", &reg.broker_addr},
                          {"clusterName", &reg.cluster_name},
                          {"haServerAddr", &reg.ha_server_addr}}) {
    const std::string* v = request.FindExtField(key);
    if (v == nullptr) return MissingField(request, key);
    *out = *v;
  }
  const std::string* id_text = request.FindExtField("brokerId");
  if (id_text == nullptr) return MissingField(request, "brokerId");
  std::optional<int64_t> id = ParseInt64(*id_text);
  if (!id) return BadField(request, "brokerId");
  reg.broker_id = *id;
  if (const std::string* t = request.FindExtField("heartbeatTimeoutMillis")) {
    std::optional<int64_t> timeout = ParseInt64(*t);
    if (!timeout) return BadField(request, "heartbeatTimeoutMillis");
    reg.heartbeat_timeout_millis = *timeout;
  }
  if (const std::string* c = request.FindExtField("bodyCrc32")) {
    std::optional<int64_t> crc = ParseInt64(*c);
    if (!crc) return BadField(request, "bodyCrc32");
    if (*crc != 0 && *crc != BodyCrc(request.body)) {
      spdlog::warn("REGISTER_BROKER from {}: crc32 not match", reg.broker_addr);
      return Response(request, ResponseCode::SYSTEM_ERROR, "crc32 not match");
    }
  }
  Result<RegisterBrokerBody> body = ParseBool(request.FindExtField("compressed"))
                                        ? DecodeCompressedRegisterBrokerBody(request.body)
                                        : DecodeRegisterBrokerBody(request.body);
  if (!body.ok()) {
    return Response(request, ResponseCode::SYSTEM_ERROR, body.status().ToString());
  }
  const protocol::TopicConfigSerializeWrapper& wrapper = body->topic_config_serialize_wrapper;
  reg.data_version = wrapper.data_version.value_or(DataVersion{});
  for (const auto& [name, config] : wrapper.topic_config_table) reg.topic_configs.push_back(config);
  reg.channel = writer.connection();

  RegisterBrokerResult result = route_info_manager_.RegisterBroker(reg);
  RemotingCommand response = Response(request, ResponseCode::SUCCESS);
  // Java leaves null header fields out of extFields.
  if (!result.ha_server_addr.empty()) response.SetExtField("haServerAddr", result.ha_server_addr);
  if (!result.master_addr.empty()) response.SetExtField("masterAddr", result.master_addr);
  if (auto order = kv_config_manager_.GetKvListByNamespace(kNamespaceOrderTopicConfig)) {
    response.body = EncodeKvTable(KVTable{std::move(*order)});
  }
  return response;
}

RemotingCommand DefaultRequestProcessor::UnregisterBroker(const Command& request) {
  const std::string* name = request.FindExtField("brokerName");
  const std::string* addr = request.FindExtField("brokerAddr");
  const std::string* cluster = request.FindExtField("clusterName");
  const std::string* id_text = request.FindExtField("brokerId");
  if (name == nullptr) return MissingField(request, "brokerName");
  if (addr == nullptr) return MissingField(request, "brokerAddr");
  if (cluster == nullptr) return MissingField(request, "clusterName");
  if (id_text == nullptr) return MissingField(request, "brokerId");
  std::optional<int64_t> id = ParseInt64(*id_text);
  if (!id) return BadField(request, "brokerId");
  route_info_manager_.UnregisterBroker(*cluster, *addr, *name, *id);
  return Response(request, ResponseCode::SUCCESS);
}

RemotingCommand DefaultRequestProcessor::GetRouteInfoByTopic(const Command& request) {
  const std::string* topic = request.FindExtField("topic");
  if (topic == nullptr) return MissingField(request, "topic");
  std::optional<TopicRouteData> route = route_info_manager_.PickupTopicRouteData(*topic);
  if (!route) {
    return Response(request, ResponseCode::TOPIC_NOT_EXIST,
                    "No topic route info in name server for the topic: " + *topic);
  }
  if (config_.order_message_enable) {
    route->order_topic_conf = kv_config_manager_.GetKvConfig(kNamespaceOrderTopicConfig, *topic);
  }
  const bool standard = config_.always_standard_json ||
                        request.version >= protocol::kVersionV4_9_4 ||
                        ParseBool(request.FindExtField("acceptStandardJsonOnly"));
  RemotingCommand response = Response(request, ResponseCode::SUCCESS);
  response.body =
      EncodeTopicRouteData(*route, standard ? JsonStyle::kStandard : JsonStyle::kFastjson);
  return response;
}

RemotingCommand DefaultRequestProcessor::GetBrokerClusterInfo(const Command& request) {
  ClusterInfo info = route_info_manager_.GetAllClusterInfo();
  RemotingCommand response = Response(request, ResponseCode::SUCCESS);
  response.body = EncodeClusterInfo(
      info, config_.always_standard_json ? JsonStyle::kStandard : JsonStyle::kFastjson);
  return response;
}

RemotingCommand DefaultRequestProcessor::GetAllTopicListFromNameserver(const Command& request) {
  RemotingCommand response = Response(request, ResponseCode::SUCCESS);
  response.body = EncodeTopicList(TopicList{route_info_manager_.GetAllTopicList()});
  return response;
}

RemotingCommand DefaultRequestProcessor::DeleteTopicInNamesrv(const Command& request) {
  const std::string* topic = request.FindExtField("topic");
  if (topic == nullptr) return MissingField(request, "topic");
  const std::string* cluster = request.FindExtField("clusterName");
  route_info_manager_.DeleteTopic(*topic, cluster == nullptr ? std::string() : *cluster);
  return Response(request, ResponseCode::SUCCESS);
}

RemotingCommand DefaultRequestProcessor::GetTopicsByCluster(const Command& request) {
  const std::string* cluster = request.FindExtField("cluster");
  if (cluster == nullptr) return MissingField(request, "cluster");
  RemotingCommand response = Response(request, ResponseCode::SUCCESS);
  response.body = EncodeTopicList(TopicList{route_info_manager_.GetTopicsByCluster(*cluster)});
  return response;
}

}  // namespace holdfast::namesrv
