#include "broker/broker_outer_api.h"

#include <spdlog/spdlog.h>

#include "common/crc32.h"
#include "remoting/protocol/mq_version.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::broker {

using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;

namespace {

Status Invoke(remoting::RemotingClient& client, const std::vector<std::string>& addrs,
              const RemotingCommand& request, std::chrono::milliseconds timeout) {
  Status first;
  for (const std::string& addr : addrs) {
    RemotingCommand copy = request;
    copy.opaque = RemotingCommand::CreateRequest(request.code).opaque;
    Result<RemotingCommand> response = client.InvokeSync(addr, std::move(copy), timeout);
    Status s;
    if (!response.ok()) {
      s = Status::Unavailable(addr + ": " + response.status().ToString());
    } else if (response->code != ResponseCode::SUCCESS) {
      s = Status::Unavailable(addr + ": response code " + std::to_string(response->code) + " " +
                              response->remark.value_or(""));
    }
    if (!s.ok()) {
      spdlog::warn("{} to name server failed: {}", remoting::RequestCodeName(request.code),
                   s.message());
      if (first.ok()) first = s;
    }
  }
  return first;
}

void SetIdentity(RemotingCommand& request, const BrokerIdentity& broker) {
  request.version = protocol::kCurrentVersion;
  request.SetExtField("brokerName", broker.broker_name);
  request.SetExtField("brokerAddr", broker.broker_addr);
  request.SetExtField("clusterName", broker.cluster_name);
  request.SetExtField("brokerId", std::to_string(broker.broker_id));
}

}  // namespace

BrokerOuterAPI::BrokerOuterAPI() = default;
BrokerOuterAPI::~BrokerOuterAPI() { Shutdown(); }

void BrokerOuterAPI::Start() { client_.Start(); }
void BrokerOuterAPI::Shutdown() { client_.Shutdown(); }

Status BrokerOuterAPI::RegisterBrokerAll(const std::vector<std::string>& namesrv_addrs,
                                         const BrokerIdentity& broker, const std::string& body,
                                         std::chrono::milliseconds timeout) {
  RemotingCommand request = RemotingCommand::CreateRequest(RequestCode::REGISTER_BROKER);
  SetIdentity(request, broker);
  request.SetExtField("haServerAddr", broker.ha_server_addr);
  request.SetExtField("compressed", "false");
  request.SetExtField("enableActingMaster", "false");
  request.SetExtField("bodyCrc32", std::to_string(BodyCrc(body)));
  request.body = body;
  return Invoke(client_, namesrv_addrs, request, timeout);
}

Status BrokerOuterAPI::UnregisterBrokerAll(const std::vector<std::string>& namesrv_addrs,
                                           const BrokerIdentity& broker,
                                           std::chrono::milliseconds timeout) {
  RemotingCommand request = RemotingCommand::CreateRequest(RequestCode::UNREGISTER_BROKER);
  SetIdentity(request, broker);
  return Invoke(client_, namesrv_addrs, request, timeout);
}

}  // namespace holdfast::broker
