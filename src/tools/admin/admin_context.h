// AdminContext: what every `holdfast admin` command talks through (RocketMQ's
// DefaultMQAdminExt, reduced): one client::MQClientAPI over the name servers given with -n, with
// failover between them, and calls to brokers by address.
//
// Every call answers a value or a Status whose message names what was asked and what went wrong
// (an unreachable server, a response code and its remark), ready to print.
//
// Threads: the MQClientAPI's io thread only. A context serves one command at a time (not
// thread-safe); construct, call, destroy.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "client/mq_client_api.h"
#include "client/topic_route_data.h"
#include "common/status.h"
#include "remoting/protocol/cluster_info.h"
#include "remoting/protocol/custom_header.h"
#include "remoting/remoting_command.h"

namespace holdfast::tools::admin {

inline constexpr std::chrono::milliseconds kDefaultAdminTimeout{5000};

// The group the tools read messages as (RocketMQ's MixAll.TOOLS_CONSUMER_GROUP, which every broker
// creates at start), and the producer group they send as (only transactions use one).
inline constexpr std::string_view kToolsConsumerGroup = "TOOLS_CONSUMER";
inline constexpr std::string_view kToolsProducerGroup = "TOOLS_PRODUCER";

// Request header fields, name -> value.
using Fields = std::map<std::string, std::string>;

class AdminContext {
 public:
  // `namesrv_addr`: "host:port;host:port". Starts the client at once.
  explicit AdminContext(const std::string& namesrv_addr,
                        std::chrono::milliseconds timeout = kDefaultAdminTimeout);
  ~AdminContext();
  AdminContext(const AdminContext&) = delete;
  AdminContext& operator=(const AdminContext&) = delete;

  const std::vector<std::string>& namesrv_addrs() const { return api_.namesrv_addrs(); }

  // A request to the first name server that answers; an error unless it answers SUCCESS.
  // `what` names the request in the error ("cluster info").
  Result<remoting::RemotingCommand> CallNameServer(int32_t code, const Fields& fields,
                                                   const std::string& what);
  // The same request to one given name server.
  Result<remoting::RemotingCommand> CallNameServerAt(const std::string& addr, int32_t code,
                                                     const Fields& fields, const std::string& what);
  // A request to the broker at `addr`; an error unless it answers SUCCESS.
  Result<remoting::RemotingCommand> CallBroker(const std::string& addr, int32_t code,
                                               const Fields& fields, std::string body,
                                               const std::string& what);

  // The broker's answer whatever its code; an error only when the broker did not answer.
  Result<remoting::RemotingCommand> InvokeBroker(const std::string& addr, int32_t code,
                                                 const Fields& fields, const std::string& what);

  // A sync send (SEND_MESSAGE_V2) to broker `broker_name` at `addr`: the broker's SendResult
  // (whose status may be a flush or slave timeout), or an error naming the message.
  Result<SendResult> SendMessage(const std::string& addr, const std::string& broker_name,
                                 const protocol::SendMessageRequestHeader& header, std::string body,
                                 const std::string& msg_id);

  Result<protocol::ClusterInfo> GetClusterInfo();
  // The master address of every broker the name servers know, by broker name.
  Result<std::map<std::string, std::string>> AllMasterAddrs();
  // NotFound "topic T does not exist" when no name server has a route for it.
  Result<client::TopicRouteData> GetTopicRoute(const std::string& topic);
  // The master address of every broker serving `topic`, by broker name.
  Result<std::map<std::string, std::string>> TopicMasterAddrs(const std::string& topic);

 private:
  Result<remoting::RemotingCommand> Checked(Result<remoting::RemotingCommand> response,
                                            const std::string& what);

  const std::chrono::milliseconds timeout_;
  client::MQClientAPI api_;
};

// The extFields of a typed header (remoting/protocol/custom_header.h), as the calls above take
// them.
template <typename Header>
Fields HeaderFields(const Header& header) {
  remoting::RemotingCommand request;
  protocol::EncodeCustomHeader(header, &request);
  return Fields(request.ext_fields.begin(), request.ext_fields.end());
}

// A request with the client's language and version and the given header fields.
remoting::RemotingCommand NewAdminRequest(int32_t code, const Fields& fields,
                                          std::string body = {});

}  // namespace holdfast::tools::admin
