#include "broker/subscription_group_manager.h"

#include <utility>

#include "common/logging.h"
#include "common/topic_validator.h"

namespace holdfast::broker {

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
  nlohmann::json j;
  {
    std::lock_guard<std::mutex> lock(mu_);
    nlohmann::json table = nlohmann::json::object();
    for (const auto& [name, config] : table_) table[name] = config.ToJson();
    j = nlohmann::json{{"dataVersion", data_version_.ToJson()},
                       {"forbiddenTable", forbidden_table_},
                       {"subscriptionGroupTable", std::move(table)}};
  }
  return pretty ? j.dump(1, '\t') : j.dump();
}

Status SubscriptionGroupManager::Decode(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::Corruption("not a JSON object");
  std::map<std::string, SubscriptionGroupConfig> loaded;
  auto table = j.find("subscriptionGroupTable");
  if (table != j.end()) {
    if (!table->is_object()) return Status::Corruption("subscriptionGroupTable is not an object");
    for (const auto& [name, value] : table->items()) {
      auto config = SubscriptionGroupConfig::FromJson(value);
      if (!config.ok()) return config.status();
      if (config->group_name.empty()) config->group_name = name;
      loaded[name] = std::move(config).value();
    }
  }
  std::optional<DataVersion> version;
  if (auto v = j.find("dataVersion"); v != j.end()) {
    auto parsed = DataVersion::FromJson(*v);
    if (!parsed.ok()) return parsed.status();
    version = *parsed;
  }
  nlohmann::json forbidden = nlohmann::json::object();
  if (auto f = j.find("forbiddenTable"); f != j.end() && !f->is_null()) {
    if (!f->is_object()) return Status::Corruption("forbiddenTable is not an object");
    forbidden = *f;
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [name, config] : loaded) table_[name] = std::move(config);
  if (version) data_version_ = *version;
  forbidden_table_ = std::move(forbidden);
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
