// NamesrvConfig: the name server's settings, under RocketMQ's names
// (apache/rocketmq: common/.../namesrv/NamesrvConfig.java, NettyServerConfig.listen_port).
#pragma once

#include <cstdint>
#include <string>

namespace holdfast::namesrv {

struct NamesrvConfig {
  // Address to listen on (NettyServerConfig.bind_address).
  std::string bind_address = "0.0.0.0";  // bindAddress
  // TCP port; 0 lets the kernel pick one (see NamesrvController::port()).
  uint16_t listen_port = 9876;  // listenPort
  // How often the housekeeping service looks for expired brokers (ms).
  int64_t scan_not_active_broker_interval = 5000;  // scanNotActiveBrokerInterval
  // A broker without a registration for this long is dropped (ms), unless its REGISTER_BROKER
  // carried heartbeatTimeoutMillis, which then wins for that broker.
  int64_t broker_channel_expired_time = 120'000;  // brokerChannelExpiredTime
  // When true, GET_ROUTEINFO_BY_TOPIC fills orderTopicConf from the ORDER_TOPIC_CONFIG namespace of
  // the KV config (RocketMQ's default is false).
  bool order_message_enable = false;  // orderMessageEnable
  // Holdfast's own switch. When true (the default, docs/protocol.md §5.1 recommendation) route and
  // cluster bodies always carry standard JSON (brokerAddrs keys quoted). When false the Apache rule
  // applies: standard JSON only to requests with version >= V4_9_4 (401) or
  // acceptStandardJsonOnly=true, fastjson's unquoted keys to older ones and to cluster info.
  bool always_standard_json = true;  // alwaysStandardJson (Holdfast only)
};

}  // namespace holdfast::namesrv
