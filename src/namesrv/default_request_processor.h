// DefaultRequestProcessor: answers the name server's request codes (docs/protocol.md §2.2, §4.7)
// (apache/rocketmq: namesrv/.../processor/DefaultRequestProcessor.java and
// ClientRequestProcessor.java).
//
// Codes served: PUT/GET/DELETE_KV_CONFIG, GET_KVLIST_BY_NAMESPACE, QUERY_DATA_VERSION,
// REGISTER_BROKER, UNREGISTER_BROKER, GET_ROUTEINFO_BY_TOPIC, GET_BROKER_CLUSTER_INFO,
// GET_ALL_TOPIC_LIST_FROM_NAMESERVER, DELETE_TOPIC_IN_NAMESRV, GET_TOPICS_BY_CLUSTER. Every
// response carries version protocol::kCurrentVersion and only string extFields values. A request
// missing a required header field gets SYSTEM_ERROR naming the field; oneway requests are not
// answered.
//
// Threads: the processors run on the server's worker threads; the route and KV managers are
// thread-safe. The manager, KV manager and config must outlive the server it is registered on.
#pragma once

#include "namesrv/kv_config_manager.h"
#include "namesrv/namesrv_config.h"
#include "namesrv/route_info_manager.h"
#include "remoting/remoting_command.h"
#include "remoting/remoting_server.h"
#include "remoting/response_writer.h"

namespace holdfast::namesrv {

class DefaultRequestProcessor {
 public:
  DefaultRequestProcessor(const NamesrvConfig& config, RouteInfoManager& route_info_manager,
                          KvConfigManager& kv_config_manager);

  // Registers a processor for every code above on `server` (before server.Start()).
  void RegisterOn(remoting::RemotingServer& server);

  // Answers one request; a code not listed above gets REQUEST_CODE_NOT_SUPPORTED.
  remoting::RemotingCommand ProcessRequest(const remoting::RemotingCommand& request,
                                           const remoting::ResponseWriter& writer);

 private:
  using Command = remoting::RemotingCommand;
  Command PutKvConfig(const Command& request);
  Command GetKvConfig(const Command& request);
  Command DeleteKvConfig(const Command& request);
  Command GetKvListByNamespace(const Command& request);
  Command QueryBrokerTopicConfig(const Command& request);
  Command RegisterBroker(const Command& request, const remoting::ResponseWriter& writer);
  Command UnregisterBroker(const Command& request);
  Command GetRouteInfoByTopic(const Command& request);
  Command GetBrokerClusterInfo(const Command& request);
  Command GetAllTopicListFromNameserver(const Command& request);
  Command DeleteTopicInNamesrv(const Command& request);
  Command GetTopicsByCluster(const Command& request);

  // Constant after construction; referenced objects outlive this one.
  const NamesrvConfig& config_;
  RouteInfoManager& route_info_manager_;
  KvConfigManager& kv_config_manager_;
};

}  // namespace holdfast::namesrv
