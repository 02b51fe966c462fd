// RocketMQ's SubscriptionGroupManager: the broker's table of SubscriptionGroupConfig, its
// DataVersion and subscriptionGroup.json
// ({"dataVersion":..,"forbiddenTable":{},"subscriptionGroupTable":{group:config}}).
//
// Lifecycle: construct (RocketMQ's system groups are put in the table), Load() once before
// serving, then any thread may call the rest. Every change bumps the DataVersion and persists
// before returning; when persisting fails the change stays in memory and the error is returned.
// Thread-safe: one mutex guards the table.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "broker/broker_config.h"
#include "broker/config_file.h"
#include "common/status.h"
#include "remoting/protocol/data_version.h"
#include "remoting/protocol/subscription_group_config.h"
#include "store/file_system.h"

namespace holdfast::broker {

inline constexpr std::string_view kSubscriptionGroupFileName = "subscriptionGroup.json";

class SubscriptionGroupManager {
 public:
  // fs must outlive the manager. The file is <storePathRootDir>/config/subscriptionGroup.json.
  SubscriptionGroupManager(store::FileSystem* fs, const BrokerConfig& config);

  // Ok when neither the file nor its .bak exists; Corruption naming the file when neither
  // decodes (the table is then unchanged).
  Status Load();
  Status Persist();

  // The group's config. When it is unknown and autoCreateSubscriptionGroup is on, a default one
  // is created and persisted (a persist failure is logged; the group is still returned). nullopt
  // when unknown and auto-creation is off, or the name is invalid.
  std::optional<protocol::SubscriptionGroupConfig> FindSubscriptionGroupConfig(
      const std::string& group);
  // Without auto-creation.
  std::optional<protocol::SubscriptionGroupConfig> SelectSubscriptionGroupConfig(
      const std::string& group) const;

  // Inserts or replaces. InvalidArgument for a bad group name.
  Status UpdateSubscriptionGroupConfig(const protocol::SubscriptionGroupConfig& config);
  // NotFound when absent.
  Status DeleteSubscriptionGroupConfig(const std::string& group);

  protocol::DataVersion data_version() const;
  std::map<std::string, protocol::SubscriptionGroupConfig> subscription_group_table() const;
  std::string Encode(bool pretty) const;

 private:
  Status Decode(const std::string& text);

  // Constant after construction.
  const bool auto_create_subscription_group_;
  ConfigFile file_;

  mutable std::mutex mu_;
  // Protected by mu_.
  std::map<std::string, protocol::SubscriptionGroupConfig> table_;
  // group -> topic -> bits (5.x); kept as read, written back.
  std::map<std::string, std::map<std::string, int32_t>> forbidden_table_;
  protocol::DataVersion data_version_ = protocol::DataVersion::Now();
};

}  // namespace holdfast::broker
