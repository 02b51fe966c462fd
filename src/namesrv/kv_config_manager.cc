#include "namesrv/kv_config_manager.h"

namespace holdfast::namesrv {

void KvConfigManager::PutKvConfig(const std::string& ns, const std::string& key,
                                  const std::string& value) {
  std::lock_guard<std::mutex> lock(mu_);
  config_table_[ns][key] = value;
}

void KvConfigManager::DeleteKvConfig(const std::string& ns, const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = config_table_.find(ns);
  if (it == config_table_.end()) return;
  it->second.erase(key);
  if (it->second.empty()) config_table_.erase(it);
}

std::optional<std::string> KvConfigManager::GetKvConfig(const std::string& ns,
                                                        const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = config_table_.find(ns);
  if (it == config_table_.end()) return std::nullopt;
  auto kv = it->second.find(key);
  if (kv == it->second.end()) return std::nullopt;
  return kv->second;
}

std::optional<std::map<std::string, std::string>> KvConfigManager::GetKvListByNamespace(
    const std::string& ns) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = config_table_.find(ns);
  if (it == config_table_.end()) return std::nullopt;
  return it->second;
}

}  // namespace holdfast::namesrv
