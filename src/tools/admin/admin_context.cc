#include "tools/admin/admin_context.h"

#include "remoting/protocol/mq_version.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::tools::admin {

using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;

namespace {

ClientConfig ConfigFor(const std::string& namesrv_addr) {
  ClientConfig config;
  config.namesrv_addr = namesrv_addr;
  return config;
}

}  // namespace

RemotingCommand NewAdminRequest(int32_t code, const Fields& fields, std::string body) {
  RemotingCommand request = RemotingCommand::CreateRequest(code);
  request.language = remoting::LanguageCode::kCpp;
  request.version = protocol::kCurrentVersion;
  for (const auto& [k, v] : fields) request.SetExtField(k, v);
  request.body = std::move(body);
  return request;
}

AdminContext::AdminContext(const std::string& namesrv_addr, std::chrono::milliseconds timeout)
    : timeout_(timeout), api_(ConfigFor(namesrv_addr)) {
  api_.Start();
}

AdminContext::~AdminContext() { api_.Shutdown(); }

Result<RemotingCommand> AdminContext::Checked(Result<RemotingCommand> response,
                                              const std::string& what) {
  if (!response.ok()) {
    // Whatever the transport said (refused, timed out, lost), the server did not answer.
    return Status::Unavailable(what + ": " + response.status().message());
  }
  if (response->code != ResponseCode::SUCCESS) return client::ResponseError(what, *response);
  return response;
}

Result<RemotingCommand> AdminContext::CallNameServer(int32_t code, const Fields& fields,
                                                     const std::string& what) {
  return Checked(api_.InvokeNameServer(NewAdminRequest(code, fields), timeout_), what);
}

Result<RemotingCommand> AdminContext::CallNameServerAt(const std::string& addr, int32_t code,
                                                       const Fields& fields,
                                                       const std::string& what) {
  return Checked(api_.Invoke(addr, NewAdminRequest(code, fields), timeout_),
                 what + " at name server " + addr);
}

Result<RemotingCommand> AdminContext::CallBroker(const std::string& addr, int32_t code,
                                                 const Fields& fields, std::string body,
                                                 const std::string& what) {
  return Checked(api_.Invoke(addr, NewAdminRequest(code, fields, std::move(body)), timeout_),
                 what + " at broker " + addr);
}

Result<RemotingCommand> AdminContext::InvokeBroker(const std::string& addr, int32_t code,
                                                   const Fields& fields, const std::string& what) {
  Result<RemotingCommand> response = api_.Invoke(addr, NewAdminRequest(code, fields), timeout_);
  if (!response.ok()) {
    return Status::Unavailable(what + " at broker " + addr + ": " + response.status().message());
  }
  return response;
}

Result<SendResult> AdminContext::SendMessage(const std::string& addr,
                                             const std::string& broker_name,
                                             const protocol::SendMessageRequestHeader& header,
                                             std::string body, const std::string& msg_id) {
  return api_.SendMessageSync(addr, broker_name, header, std::move(body), msg_id, timeout_);
}

Result<protocol::ClusterInfo> AdminContext::GetClusterInfo() {
  Result<RemotingCommand> response =
      CallNameServer(RequestCode::GET_BROKER_CLUSTER_INFO, {}, "cluster info");
  if (!response.ok()) return response.status();
  return protocol::DecodeClusterInfo(response->body);
}

Result<std::map<std::string, std::string>> AdminContext::AllMasterAddrs() {
  Result<protocol::ClusterInfo> info = GetClusterInfo();
  if (!info.ok()) return info.status();
  std::map<std::string, std::string> out;
  for (const auto& [name, data] : info->broker_addr_table) {
    if (auto master = data.MasterAddr()) out[name] = *master;
  }
  return out;
}

Result<client::TopicRouteData> AdminContext::GetTopicRoute(const std::string& topic) {
  Result<client::TopicRouteData> route = api_.GetTopicRouteInfoFromNameServer(topic, timeout_);
  if (route.status().IsNotFound()) {
    return Status::NotFound("topic " + topic + " does not exist (no name server has a route)");
  }
  return route;
}

Result<std::map<std::string, std::string>> AdminContext::TopicMasterAddrs(
    const std::string& topic) {
  Result<client::TopicRouteData> route = GetTopicRoute(topic);
  if (!route.ok()) return route.status();
  std::map<std::string, std::string> out;
  for (const client::BrokerData& bd : route->broker_datas) {
    if (auto master = bd.MasterAddr()) out[bd.broker_name] = *master;
  }
  if (out.empty()) return Status::NotFound("topic " + topic + " has no live master broker");
  return out;
}

}  // namespace holdfast::tools::admin
