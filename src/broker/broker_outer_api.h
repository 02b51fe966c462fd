// BrokerOuterAPI: the broker's calls to the name servers (apache/rocketmq:
// broker/.../out/BrokerOuterAPI.java): REGISTER_BROKER (103) with an uncompressed
// RegisterBrokerBody (remoting/protocol/register_broker_body.h) and UNREGISTER_BROKER (104), to
// every name server in turn.
//
// Lifecycle: construct, Start(), ..., Shutdown() (also by the destructor).
// Thread-safe; each call blocks its caller for at most `timeout` per name server, so call it from
// the register service, never from an io thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "remoting/remoting_client.h"

namespace holdfast::broker {

struct BrokerIdentity {
  std::string cluster_name;
  std::string broker_name;
  std::string broker_addr;     // brokerIP1:listenPort
  std::string ha_server_addr;  // brokerIP2:haListenPort
  int64_t broker_id = 0;
};

class BrokerOuterAPI {
 public:
  BrokerOuterAPI();
  ~BrokerOuterAPI();
  BrokerOuterAPI(const BrokerOuterAPI&) = delete;
  BrokerOuterAPI& operator=(const BrokerOuterAPI&) = delete;

  void Start();
  void Shutdown();

  // Registers with every address; the first error (naming the name server) is returned, after
  // all were tried.
  Status RegisterBrokerAll(const std::vector<std::string>& namesrv_addrs,
                           const BrokerIdentity& broker, const std::string& body,
                           std::chrono::milliseconds timeout);
  Status UnregisterBrokerAll(const std::vector<std::string>& namesrv_addrs,
                             const BrokerIdentity& broker, std::chrono::milliseconds timeout);

 private:
  remoting::RemotingClient client_;
};

}  // namespace holdfast::broker
