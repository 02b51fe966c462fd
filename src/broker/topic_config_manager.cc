#include "broker/topic_config_manager.h"

#include <algorithm>
#include <utility>

#include "common/logging.h"
#include "common/topic_validator.h"
#include "remoting/protocol/perm_name.h"

namespace holdfast::broker {

using protocol::DataVersion;
using protocol::IsInherited;
using protocol::kPermInherit;
using protocol::kPermRead;
using protocol::kPermWrite;
using protocol::TopicConfig;

TopicConfigManager::TopicConfigManager(store::FileSystem* fs, const BrokerConfig& config)
    : config_(config),
      file_(fs, ConfigFilePath(config.store.store_path_root_dir, kTopicsFileName)) {
  // The same set, in the same order, as RocketMQ 4.9's TopicConfigManager constructor, plus the
  // transaction topics 5.x creates up front.
  PutSystemTopic(TopicConfig(std::string(kSelfTestTopic), 1, 1, kPermRead | kPermWrite));
  if (config_.auto_create_topic_enable) {
    PutSystemTopic(TopicConfig(std::string(kAutoCreateTopicKeyTopic),
                               config_.default_topic_queue_nums, config_.default_topic_queue_nums,
                               kPermInherit | kPermRead | kPermWrite));
  }
  PutSystemTopic(TopicConfig(std::string(kBenchmarkTopic), 1024, 1024, kPermRead | kPermWrite));
  {
    TopicConfig cluster(config_.broker_cluster_name);
    cluster.perm = kPermInherit | (config_.cluster_topic_enable ? kPermRead | kPermWrite : 0);
    PutSystemTopic(std::move(cluster));
  }
  {
    TopicConfig broker(config_.broker_name, 1, 1, kPermInherit);
    if (config_.broker_topic_enable) broker.perm |= kPermRead | kPermWrite;
    PutSystemTopic(std::move(broker));
  }
  PutSystemTopic(TopicConfig(std::string(kOffsetMovedEventTopic), 1, 1, kPermRead | kPermWrite));
  PutSystemTopic(TopicConfig(std::string(kScheduleTopic), kScheduleTopicQueueNums,
                             kScheduleTopicQueueNums, kPermRead | kPermWrite));
  PutSystemTopic(TopicConfig(config_.broker_cluster_name + std::string(kReplyTopicSuffix), 1, 1,
                             kPermRead | kPermWrite));
  PutSystemTopic(TopicConfig(std::string(kTransHalfTopic), 1, 1, kPermRead | kPermWrite));
  PutSystemTopic(TopicConfig(std::string(kTransOpHalfTopic), 1, 1, kPermRead | kPermWrite));
  PutSystemTopic(TopicConfig(std::string(kTransCheckMaxTimeTopic), 1, 1, kPermRead | kPermWrite));
}

void TopicConfigManager::PutSystemTopic(TopicConfig config) {
  system_topics_.insert(config.topic_name);
  std::string name = config.topic_name;
  table_[name] = std::move(config);
}

bool TopicConfigManager::IsSystemTopic(const std::string& topic) const {
  std::lock_guard<std::mutex> lock(mu_);
  return system_topics_.count(topic) > 0;
}

Status TopicConfigManager::Load() {
  return file_.Load([this](const std::string& text) { return Decode(text); });
}

Status TopicConfigManager::Persist() {
  return file_.Persist([this] { return Encode(true); });
}

protocol::TopicConfigSerializeWrapper TopicConfigManager::SerializeWrapper() const {
  std::lock_guard<std::mutex> lock(mu_);
  return protocol::TopicConfigSerializeWrapper{table_, data_version_};
}

std::string TopicConfigManager::Encode(bool pretty) const {
  return protocol::EncodeTopicConfigSerializeWrapper(SerializeWrapper(), pretty);
}

Status TopicConfigManager::Decode(const std::string& text) {
  Result<protocol::TopicConfigSerializeWrapper> loaded =
      protocol::DecodeTopicConfigSerializeWrapper(text);
  if (!loaded.ok()) return loaded.status();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [name, config] : loaded->topic_config_table) table_[name] = std::move(config);
  if (loaded->data_version) data_version_ = *loaded->data_version;
  return Status::Ok();
}

std::optional<TopicConfig> TopicConfigManager::SelectTopicConfig(const std::string& topic) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = table_.find(topic);
  if (it == table_.end()) return std::nullopt;
  return it->second;
}

Result<CreateTopicResult> TopicConfigManager::Insert(TopicConfig config) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = table_.find(config.topic_name);
    // A concurrent request may have created it meanwhile.
    if (it != table_.end()) return CreateTopicResult{it->second, false};
    table_[config.topic_name] = config;
    data_version_.NextVersion();
  }
  spdlog::info("created topic {} (read {}, write {}, perm {})", config.topic_name,
               config.read_queue_nums, config.write_queue_nums, config.perm);
  HOLDFAST_RETURN_IF_ERROR(Persist());
  return CreateTopicResult{std::move(config), true};
}

Result<CreateTopicResult> TopicConfigManager::CreateTopicInSendMessageMethod(
    const std::string& topic, const std::string& default_topic,
    int32_t client_default_topic_queue_nums, int32_t topic_sys_flag) {
  if (auto existing = SelectTopicConfig(topic)) return CreateTopicResult{*existing, false};
  HOLDFAST_RETURN_IF_ERROR(ValidateTopic(topic));
  auto default_config = SelectTopicConfig(default_topic);
  if (!default_config) {
    return Status::NotFound("cannot create topic " + topic + ": default topic " + default_topic +
                            " does not exist");
  }
  if (default_topic == kAutoCreateTopicKeyTopic && !config_.auto_create_topic_enable) {
    default_config->perm = kPermRead | kPermWrite;
  }
  if (!IsInherited(default_config->perm)) {
    return Status::NotFound("cannot create topic " + topic + ": default topic " + default_topic +
                            " has no INHERIT permission (perm " +
                            std::to_string(default_config->perm) + ")");
  }
  int32_t queue_nums =
      std::max(0, std::min(client_default_topic_queue_nums, default_config->write_queue_nums));
  TopicConfig config(topic, queue_nums, queue_nums, default_config->perm & ~kPermInherit);
  config.topic_sys_flag = topic_sys_flag;
  config.topic_filter_type = default_config->topic_filter_type;
  return Insert(std::move(config));
}

Result<CreateTopicResult> TopicConfigManager::CreateTopicInSendMessageBackMethod(
    const std::string& topic, int32_t queue_nums, int32_t perm, int32_t topic_sys_flag) {
  if (auto existing = SelectTopicConfig(topic)) return CreateTopicResult{*existing, false};
  HOLDFAST_RETURN_IF_ERROR(ValidateTopic(topic));
  TopicConfig config(topic, queue_nums, queue_nums, perm);
  config.topic_sys_flag = topic_sys_flag;
  return Insert(std::move(config));
}

Status TopicConfigManager::UpdateTopicConfig(const TopicConfig& config) {
  HOLDFAST_RETURN_IF_ERROR(ValidateTopic(config.topic_name));
  if (config.read_queue_nums < 0 || config.write_queue_nums < 0) {
    return Status::InvalidArgument("topic " + config.topic_name + ": negative queue count");
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    table_[config.topic_name] = config;
    data_version_.NextVersion();
  }
  spdlog::info("updated topic {} (read {}, write {}, perm {})", config.topic_name,
               config.read_queue_nums, config.write_queue_nums, config.perm);
  return Persist();
}

Status TopicConfigManager::DeleteTopicConfig(const std::string& topic) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (table_.erase(topic) == 0) return Status::NotFound("topic " + topic + " does not exist");
    data_version_.NextVersion();
  }
  spdlog::info("deleted topic {}", topic);
  return Persist();
}

DataVersion TopicConfigManager::data_version() const {
  std::lock_guard<std::mutex> lock(mu_);
  return data_version_;
}

std::map<std::string, TopicConfig> TopicConfigManager::topic_config_table() const {
  std::lock_guard<std::mutex> lock(mu_);
  return table_;
}

}  // namespace holdfast::broker
