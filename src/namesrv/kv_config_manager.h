// KvConfigManager: the name server's namespaced key/value configuration (PUT/GET/DELETE_KV_CONFIG,
// apache/rocketmq: namesrv/.../kvconfig/KVConfigManager.java). The namespace ORDER_TOPIC_CONFIG
// holds per-topic order configuration ("brokerName:queueNum;...").
//
// Held in memory only: unlike RocketMQ (which writes kvConfig.json) nothing survives a restart.
// Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace holdfast::namesrv {

inline constexpr char kNamespaceOrderTopicConfig[] = "ORDER_TOPIC_CONFIG";

class KvConfigManager {
 public:
  void PutKvConfig(const std::string& ns, const std::string& key, const std::string& value);
  // Removes the key; an empty namespace is removed too. Absent keys are ignored.
  void DeleteKvConfig(const std::string& ns, const std::string& key);
  std::optional<std::string> GetKvConfig(const std::string& ns, const std::string& key) const;
  // Every key of `ns`, or nullopt when the namespace does not exist.
  std::optional<std::map<std::string, std::string>> GetKvListByNamespace(
      const std::string& ns) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::map<std::string, std::string>> config_table_;  // guarded by mu_
};

}  // namespace holdfast::namesrv
