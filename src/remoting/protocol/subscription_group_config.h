// RocketMQ's SubscriptionGroupConfig: a broker's settings for one consumer group (fastjson field
// names). In subscriptionGroup.json and GET_ALL_SUBSCRIPTIONGROUP_CONFIG (inside
// SubscriptionGroupWrapper), and the body of UPDATE_AND_CREATE_SUBSCRIPTIONGROUP written by the
// admin tools. Defaults per docs/protocol.md §7.6.
//
// A plain value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace holdfast::protocol {

struct SubscriptionGroupConfig {
  std::string group_name;                          // groupName
  bool consume_enable = true;                      // consumeEnable
  bool consume_from_min_enable = true;             // consumeFromMinEnable
  bool consume_broadcast_enable = true;            // consumeBroadcastEnable
  bool consume_message_orderly = false;            // consumeMessageOrderly
  int32_t retry_queue_nums = 1;                    // retryQueueNums
  int32_t retry_max_times = 16;                    // retryMaxTimes
  int64_t broker_id = 0;                           // brokerId
  int64_t which_broker_when_consume_slowly = 1;    // whichBrokerWhenConsumeSlowly
  bool notify_consumer_ids_changed_enable = true;  // notifyConsumerIdsChangedEnable
  int32_t group_sys_flag = 0;                      // groupSysFlag
  int32_t consume_timeout_minute = 15;             // consumeTimeoutMinute

  SubscriptionGroupConfig() = default;
  explicit SubscriptionGroupConfig(std::string name) : group_name(std::move(name)) {}

  nlohmann::json ToJson() const;
  // Missing fields take the defaults, unknown fields are ignored, numbers and booleans may be
  // strings; Corruption naming the group and field when one has the wrong type.
  static Result<SubscriptionGroupConfig> FromJson(const nlohmann::json& j);

  bool operator==(const SubscriptionGroupConfig&) const = default;
};

// The UPDATE_AND_CREATE_SUBSCRIPTIONGROUP body.
std::string EncodeSubscriptionGroupConfig(const SubscriptionGroupConfig& config);
Result<SubscriptionGroupConfig> DecodeSubscriptionGroupConfig(std::string_view body);

}  // namespace holdfast::protocol
