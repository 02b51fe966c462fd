// RocketMQ's SubscriptionGroupWrapper: a broker's whole consumer-group table, as
// subscriptionGroup.json holds it and GET_ALL_SUBSCRIPTIONGROUP_CONFIG answers it:
// {"dataVersion":{..},"forbiddenTable":{group:{topic:bits}},"subscriptionGroupTable":{group:{..}}}.
//
// A plain value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "remoting/protocol/data_version.h"
#include "remoting/protocol/subscription_group_config.h"

namespace holdfast::protocol {

struct SubscriptionGroupWrapper {
  std::map<std::string, SubscriptionGroupConfig> subscription_group_table;  // by group name
  // group -> topic -> forbidden permission bits (5.x; kept as read, not acted on).
  std::map<std::string, std::map<std::string, int32_t>> forbidden_table;
  // Absent in a body that has none; the reader keeps its own.
  std::optional<DataVersion> data_version;

  bool operator==(const SubscriptionGroupWrapper&) const = default;
};

// Compact JSON, or with `pretty` one tab per level as subscriptionGroup.json is written.
std::string EncodeSubscriptionGroupWrapper(const SubscriptionGroupWrapper& wrapper, bool pretty);
// A config without a groupName takes its table key. Corruption naming the group and field.
Result<SubscriptionGroupWrapper> DecodeSubscriptionGroupWrapper(std::string_view body);

}  // namespace holdfast::protocol
