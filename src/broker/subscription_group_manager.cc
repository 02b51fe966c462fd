#include "broker/subscription_group_manager.h"

#include <utility>

#include "common/logging.h"
#include "common/topic_validator.h"
#include "remoting/protocol/subscription_group_wrapper.h"

namespace holdfast::broker {

using protocol::DataVersion;
using protocol::SubscriptionGroupConfig;

SubscriptionGroupManager::SubscriptionGroupManager(store::FileSystem* fs,
                                                   const BrokerConfig& config)
    : auto_create_subscription_group_(config.auto_create_subscription_group),
      file_(fs, ConfigFilePath(config.store.store_path_root_dir, kSubscriptionGroupFileName)) {
  // RocketMQ 4.9's SubscriptionGroupManager.init().
  for (const char* name :
       {"TOOLS_CONSUMER", "FILTERSRV_CONSUMER", "SELF_TEST_C_GROUP", "CID_ONS-HTTP-PROXY",
        "CID_ONSAPI_PULL", "CID_ONSAPI_PERMISSION", "CID_ONSAPI_OWNER", "CID_RMQ_SYS_TRANS"}) {
    table_[name] = SubscriptionGroupConfig(name);
  }
}

Status SubscriptionGroupManager::Load() {
  return file_.Load([this](const std::string& text) { return Decode(text); });
}

Status SubscriptionGroupManager::Persist() {
  return file_.Persist([this] { return Encode(true); });
}

std::string SubscriptionGroupManager::Encode(bool pretty) const {
  protocol::SubscriptionGroupWrapper wrapper;
  {
    std::lock_guard<std::mutex> lock(mu_);
    wrapper.subscription_group_table = table_;
    wrapper.forbidden_table = forbidden_table_;
    wrapper.data_version = data_version_;
  }
  return protocol::EncodeSubscriptionGroupWrapper(wrapper, pretty);
}

Status SubscriptionGroupManager::Decode(const std::string& text) {
  Result<protocol::SubscriptionGroupWrapper> loaded =
      protocol::DecodeSubscriptionGroupWrapper(text);
  if (!loaded.ok()) return loaded.status();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [name, config] : loaded->subscription_group_table) table_[name] = std::move(config);
  if (loaded->data_version) data_version_ = *loaded->data_version;
  forbidden_table_ = std::move(loaded->forbidden_table);
  return Status::Ok();
}

std::optional<SubscriptionGroupConfig> SubscriptionGroupManager::SelectSubscriptionGroupConfig(
    const std::string& group) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = table_.find(group);
  if (it == table_.end()) return std::nullopt;
  return it->second;
}

std::optional<SubscriptionGroupConfig> SubscriptionGroupManager::FindSubscriptionGroupConfig(
    const std::string& group) {
  if (auto existing = SelectSubscriptionGroupConfig(group)) return existing;
  if (!auto_create_subscription_group_ || !ValidateGroup(group).ok()) return std::nullopt;
  SubscriptionGroupConfig config(group);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto [it, inserted] = table_.emplace(group, config);
    if (!inserted) return it->second;  // created by a concurrent request
    data_version_.NextVersion();
  }
  spdlog::info("auto-created subscription group {}", group);
  // The group is served from memory all the same: it was only auto-created, so after a restart
  // that lost it the member's next heartbeat creates it again.
  Status s = Persist();
  if (!s.ok()) spdlog::error("persisting subscription group {}: {}", group, s.ToString());
  return config;
}

Status SubscriptionGroupManager::UpdateSubscriptionGroupConfig(
    const SubscriptionGroupConfig& config) {
  HOLDFAST_RETURN_IF_ERROR(ValidateGroup(config.group_name));
  {
    std::lock_guard<std::mutex> lock(mu_);
    table_[config.group_name] = config;
    data_version_.NextVersion();
  }
  spdlog::info("updated subscription group {}", config.group_name);
  return Persist();
}

Status SubscriptionGroupManager::DeleteSubscriptionGroupConfig(const std::string& group) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (table_.erase(group) == 0) {
      return Status::NotFound("subscription group " + group + " does not exist");
    }
    data_version_.NextVersion();
  }
  spdlog::info("deleted subscription group {}", group);
  return Persist();
}

DataVersion SubscriptionGroupManager::data_version() const {
  std::lock_guard<std::mutex> lock(mu_);
  return data_version_;
}

std::map<std::string, SubscriptionGroupConfig> SubscriptionGroupManager::subscription_group_table()
    const {
  std::lock_guard<std::mutex> lock(mu_);
  return table_;
}

}  // namespace holdfast::broker
