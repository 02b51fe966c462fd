// Settings every producer and consumer shares (RocketMQ's ClientConfig), with RocketMQ's defaults.
#pragma once

#include <chrono>
#include <string>

namespace holdfast {

struct ClientConfig {
  // Name servers, "host:port;host:port". Any live one will do; a dead one is skipped.
  std::string namesrv_addr = "127.0.0.1:9876";
  // Clients in one process with the same instance name share connections and one client id
  // ("ip@instanceName"); give two consumers of the same group in one process different names.
  std::string instance_name = "DEFAULT";
  // The address this client reports to brokers; empty = the first non-loopback IPv4 address.
  std::string client_ip;
  std::chrono::milliseconds mq_client_api_timeout{3000};        // RPCs other than send
  std::chrono::milliseconds poll_name_server_interval{30'000};  // route refresh
  std::chrono::milliseconds heartbeat_broker_interval{30'000};
  std::chrono::milliseconds persist_consumer_offset_interval{5'000};
};

}  // namespace holdfast
