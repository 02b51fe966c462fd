// NamesrvConfig: the name server's settings, under RocketMQ's names
// (apache/rocketmq: common/.../namesrv/NamesrvConfig.java, NettyServerConfig.listenPort).
#pragma once

#include <cstdint>
#include <string>

namespace holdfast::namesrv {

struct NamesrvConfig {
  // Address to listen on (NettyServerConfig.bindAddress).
  std::string bindAddress = "0.0.0.0";  // NOLINT(readability-identifier-naming)
  // TCP port; 0 lets the kernel pick one (see NamesrvController::port()).
  uint16_t listenPort = 9876;  // NOLINT(readability-identifier-naming): RocketMQ's name
  // How often the housekeeping service looks for expired brokers (ms).
  int64_t scanNotActiveBrokerInterval = 5000;  // NOLINT(readability-identifier-naming)
  // A broker without a registration for this long is dropped (ms), unless its REGISTER_BROKER
  // carried heartbeatTimeoutMillis, which then wins for that broker.
  int64_t brokerChannelExpiredTime = 120'000;  // NOLINT(readability-identifier-naming)
  // When true, GET_ROUTEINFO_BY_TOPIC fills orderTopicConf from the ORDER_TOPIC_CONFIG namespace of
  // the KV config (RocketMQ's default is false).
  bool orderMessageEnable = false;  // NOLINT(readability-identifier-naming)
  // Holdfast's own switch. When true (the default, sheet §5.1 recommendation) route and cluster
  // bodies always carry standard JSON (brokerAddrs keys quoted). When false the Apache rule
  // applies: standard JSON only to requests with version >= V4_9_4 (401) or
  // acceptStandardJsonOnly=true, fastjson's unquoted keys to older ones and to cluster info.
  bool alwaysStandardJson = true;  // NOLINT(readability-identifier-naming)
};

}  // namespace holdfast::namesrv
