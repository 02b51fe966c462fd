#include "broker/broker_outer_api.h"

#include <spdlog/spdlog.h>

#include "common/crc32.h"
#include "remoting/protocol/mq_version.h"
#include "remoting/protocol/register_broker_request_header.h"
#include "remoting/protocol/unregister_broker_request_header.h"
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

// A request to the name servers with `header`, stamped with our version.
template <typename Header>
RemotingCommand NewRequest(int32_t code, const Header& header) {
  RemotingCommand request = RemotingCommand::CreateRequest(code);
  request.version = protocol::kCurrentVersion;
  protocol::EncodeCustomHeader(header, &request);
  return request;
}

}  // namespace

BrokerOuterAPI::BrokerOuterAPI() = default;
BrokerOuterAPI::~BrokerOuterAPI() { Shutdown(); }

void BrokerOuterAPI::Start() { client_.Start(); }
void BrokerOuterAPI::Shutdown() { client_.Shutdown(); }

Status BrokerOuterAPI::RegisterBrokerAll(const std::vector<std::string>& namesrv_addrs,
                                         const BrokerIdentity& broker, const std::string& body,
                                         std::chrono::milliseconds timeout) {
  RemotingCommand request =
      NewRequest(RequestCode::REGISTER_BROKER, protocol::RegisterBrokerRequestHeader{
                                                   .broker_name = broker.broker_name,
                                                   .broker_addr = broker.broker_addr,
                                                   .cluster_name = broker.cluster_name,
                                                   .ha_server_addr = broker.ha_server_addr,
                                                   .broker_id = broker.broker_id,
                                                   .heartbeat_timeout_millis = std::nullopt,
                                                   .compressed = false,
                                                   .enable_acting_master = false,
                                                   .body_crc32 = BodyCrc(body),
                                               });
  request.body = body;
  return Invoke(client_, namesrv_addrs, request, timeout);
}

Status BrokerOuterAPI::UnregisterBrokerAll(const std::vector<std::string>& namesrv_addrs,
                                           const BrokerIdentity& broker,
                                           std::chrono::milliseconds timeout) {
  RemotingCommand request =
      NewRequest(RequestCode::UNREGISTER_BROKER, protocol::UnregisterBrokerRequestHeader{
                                                     .broker_name = broker.broker_name,
                                                     .broker_addr = broker.broker_addr,
                                                     .cluster_name = broker.cluster_name,
                                                     .broker_id = broker.broker_id,
                                                 });
  return Invoke(client_, namesrv_addrs, request, timeout);
}

}  // namespace holdfast::broker
