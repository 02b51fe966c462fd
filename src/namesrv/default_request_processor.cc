#include "namesrv/default_request_processor.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <string_view>

#include "common/crc32.h"
#include "remoting/protocol/delete_topic_from_namesrv_request_header.h"
#include "remoting/protocol/get_kv_config_response_header.h"
#include "remoting/protocol/get_kv_list_by_namespace_request_header.h"
#include "remoting/protocol/get_route_info_request_header.h"
#include "remoting/protocol/get_topics_by_cluster_request_header.h"
#include "remoting/protocol/kv_config_request_header.h"
#include "remoting/protocol/kv_table.h"
#include "remoting/protocol/mq_version.h"
#include "remoting/protocol/put_kv_config_request_header.h"
#include "remoting/protocol/query_data_version_request_header.h"
#include "remoting/protocol/query_data_version_response_header.h"
#include "remoting/protocol/register_broker_body.h"
#include "remoting/protocol/register_broker_request_header.h"
#include "remoting/protocol/register_broker_response_header.h"
#include "remoting/protocol/topic_list.h"
#include "remoting/protocol/unregister_broker_request_header.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::namesrv {
namespace {

using protocol::ClusterInfo;
using protocol::DataVersion;
using protocol::DecodeCompressedRegisterBrokerBody;
using protocol::DecodeCustomHeader;
using protocol::DecodeDataVersion;
using protocol::DecodeRegisterBrokerBody;
using protocol::DeleteTopicFromNamesrvRequestHeader;
using protocol::EncodeClusterInfo;
using protocol::EncodeCustomHeader;
using protocol::EncodeDataVersion;
using protocol::EncodeKvTable;
using protocol::EncodeTopicList;
using protocol::EncodeTopicRouteData;
using protocol::GetKVConfigResponseHeader;
using protocol::GetKVListByNamespaceRequestHeader;
using protocol::GetRouteInfoRequestHeader;
using protocol::GetTopicsByClusterRequestHeader;
using protocol::JsonStyle;
using protocol::KVConfigRequestHeader;
using protocol::KVTable;
using protocol::PutKVConfigRequestHeader;
using protocol::QueryDataVersionRequestHeader;
using protocol::QueryDataVersionResponseHeader;
using protocol::RegisterBrokerBody;
using protocol::RegisterBrokerRequestHeader;
using protocol::RegisterBrokerResponseHeader;
using protocol::TopicList;
using protocol::TopicRouteData;
using protocol::UnregisterBrokerRequestHeader;
using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;

RemotingCommand Response(const RemotingCommand& request, int32_t code,
                         std::optional<std::string> remark = std::nullopt) {
  RemotingCommand response = RemotingCommand::CreateResponse(request, code, std::move(remark));
  response.version = protocol::kCurrentVersion;
  return response;
}

// A request header that did not decode (Java's RemotingCommandException text: "the custom field
// <key> is null"), answered as SYSTEM_ERROR.
RemotingCommand BadHeader(const RemotingCommand& request, const Status& status) {
  return Response(request, ResponseCode::SYSTEM_ERROR, status.message());
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
  Result<PutKVConfigRequestHeader> h = DecodeCustomHeader<PutKVConfigRequestHeader>(request);
  if (!h.ok()) return BadHeader(request, h.status());
  kv_config_manager_.PutKvConfig(h->name_space, h->key, h->value);
  return Response(request, ResponseCode::SUCCESS);
}

RemotingCommand DefaultRequestProcessor::GetKvConfig(const Command& request) {
  Result<KVConfigRequestHeader> h = DecodeCustomHeader<KVConfigRequestHeader>(request);
  if (!h.ok()) return BadHeader(request, h.status());
  std::optional<std::string> value = kv_config_manager_.GetKvConfig(h->name_space, h->key);
  if (!value) {
    return Response(request, ResponseCode::QUERY_NOT_FOUND,
                    "No config item, Namespace: " + h->name_space + " Key: " + h->key);
  }
  RemotingCommand response = Response(request, ResponseCode::SUCCESS);
  EncodeCustomHeader(GetKVConfigResponseHeader{std::move(*value)}, &response);
  return response;
}

RemotingCommand DefaultRequestProcessor::DeleteKvConfig(const Command& request) {
  Result<KVConfigRequestHeader> h = DecodeCustomHeader<KVConfigRequestHeader>(request);
  if (!h.ok()) return BadHeader(request, h.status());
  kv_config_manager_.DeleteKvConfig(h->name_space, h->key);
  return Response(request, ResponseCode::SUCCESS);
}

RemotingCommand DefaultRequestProcessor::GetKvListByNamespace(const Command& request) {
  Result<GetKVListByNamespaceRequestHeader> h =
      DecodeCustomHeader<GetKVListByNamespaceRequestHeader>(request);
  if (!h.ok()) return BadHeader(request, h.status());
  auto table = kv_config_manager_.GetKvListByNamespace(h->name_space);
  if (!table) {
    return Response(request, ResponseCode::QUERY_NOT_FOUND,
                    "No config item, Namespace: " + h->name_space);
  }
  RemotingCommand response = Response(request, ResponseCode::SUCCESS);
  response.body = EncodeKvTable(KVTable{std::move(*table)});
  return response;
}

RemotingCommand DefaultRequestProcessor::QueryBrokerTopicConfig(const Command& request) {
  Result<QueryDataVersionRequestHeader> h =
      DecodeCustomHeader<QueryDataVersionRequestHeader>(request);
  if (!h.ok()) return BadHeader(request, h.status());
  const std::string* addr = &h->broker_addr;
  Result<DataVersion> version = DecodeDataVersion(request.body);
  if (!version.ok()) {
    return Response(request, ResponseCode::SYSTEM_ERROR, version.status().ToString());
  }
  bool changed = route_info_manager_.IsBrokerTopicConfigChanged(*addr, *version);
  if (!changed) route_info_manager_.UpdateBrokerInfoUpdateTimestamp(*addr);
  RemotingCommand response = Response(request, ResponseCode::SUCCESS);
  EncodeCustomHeader(QueryDataVersionResponseHeader{changed}, &response);
  if (auto stored = route_info_manager_.QueryBrokerTopicConfig(*addr)) {
    response.body = EncodeDataVersion(*stored);
  }
  return response;
}

RemotingCommand DefaultRequestProcessor::RegisterBroker(const Command& request,
                                                        const remoting::ResponseWriter& writer) {
  Result<RegisterBrokerRequestHeader> header =
      DecodeCustomHeader<RegisterBrokerRequestHeader>(request);
  if (!header.ok()) return BadHeader(request, header.status());
  RegisterBrokerRequest reg;
  reg.broker_name = header->broker_name;
  reg.broker_addr = header->broker_addr;
  reg.cluster_name = header->cluster_name;
  reg.ha_server_addr = header->ha_server_addr;
  reg.broker_id = header->broker_id;
  reg.heartbeat_timeout_millis = header->heartbeat_timeout_millis;
  if (header->body_crc32.value_or(0) != 0 && *header->body_crc32 != BodyCrc(request.body)) {
    spdlog::warn("REGISTER_BROKER from {}: crc32 not match", reg.broker_addr);
    return Response(request, ResponseCode::SYSTEM_ERROR, "crc32 not match");
  }
  Result<RegisterBrokerBody> body = header->compressed
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
  // Java leaves null header fields out of extFields; so do optional ones here when empty.
  EncodeCustomHeader(RegisterBrokerResponseHeader{result.ha_server_addr, result.master_addr},
                     &response);
  if (auto order = kv_config_manager_.GetKvListByNamespace(kNamespaceOrderTopicConfig)) {
    response.body = EncodeKvTable(KVTable{std::move(*order)});
  }
  return response;
}

RemotingCommand DefaultRequestProcessor::UnregisterBroker(const Command& request) {
  Result<UnregisterBrokerRequestHeader> h =
      DecodeCustomHeader<UnregisterBrokerRequestHeader>(request);
  if (!h.ok()) return BadHeader(request, h.status());
  route_info_manager_.UnregisterBroker(h->cluster_name, h->broker_addr, h->broker_name,
                                       h->broker_id);
  return Response(request, ResponseCode::SUCCESS);
}

RemotingCommand DefaultRequestProcessor::GetRouteInfoByTopic(const Command& request) {
  Result<GetRouteInfoRequestHeader> h = DecodeCustomHeader<GetRouteInfoRequestHeader>(request);
  if (!h.ok()) return BadHeader(request, h.status());
  const std::string* topic = &h->topic;
  std::optional<TopicRouteData> route = route_info_manager_.PickupTopicRouteData(*topic);
  if (!route) {
    return Response(request, ResponseCode::TOPIC_NOT_EXIST,
                    "No topic route info in name server for the topic: " + *topic);
  }
  if (config_.order_message_enable) {
    route->order_topic_conf = kv_config_manager_.GetKvConfig(kNamespaceOrderTopicConfig, *topic);
  }
  const bool standard = config_.always_standard_json ||
                        request.version >= protocol::kVersionV4_9_4 || h->accept_standard_json_only;
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
  Result<DeleteTopicFromNamesrvRequestHeader> h =
      DecodeCustomHeader<DeleteTopicFromNamesrvRequestHeader>(request);
  if (!h.ok()) return BadHeader(request, h.status());
  route_info_manager_.DeleteTopic(h->topic, h->cluster_name);
  return Response(request, ResponseCode::SUCCESS);
}

RemotingCommand DefaultRequestProcessor::GetTopicsByCluster(const Command& request) {
  Result<GetTopicsByClusterRequestHeader> h =
      DecodeCustomHeader<GetTopicsByClusterRequestHeader>(request);
  if (!h.ok()) return BadHeader(request, h.status());
  RemotingCommand response = Response(request, ResponseCode::SUCCESS);
  response.body = EncodeTopicList(TopicList{route_info_manager_.GetTopicsByCluster(h->cluster)});
  return response;
}

}  // namespace holdfast::namesrv
