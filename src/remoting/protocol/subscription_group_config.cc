#include "remoting/protocol/subscription_group_config.h"

#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

nlohmann::json SubscriptionGroupConfig::ToJson() const {
  return nlohmann::json{{"brokerId", broker_id},
                        {"consumeBroadcastEnable", consume_broadcast_enable},
                        {"consumeEnable", consume_enable},
                        {"consumeFromMinEnable", consume_from_min_enable},
                        {"consumeMessageOrderly", consume_message_orderly},
                        {"consumeTimeoutMinute", consume_timeout_minute},
                        {"groupName", group_name},
                        {"groupSysFlag", group_sys_flag},
                        {"notifyConsumerIdsChangedEnable", notify_consumer_ids_changed_enable},
                        {"retryMaxTimes", retry_max_times},
                        {"retryQueueNums", retry_queue_nums},
                        {"whichBrokerWhenConsumeSlowly", which_broker_when_consume_slowly}};
}

Result<SubscriptionGroupConfig> SubscriptionGroupConfig::FromJson(const nlohmann::json& j) {
  SubscriptionGroupConfig c;
  if (j.is_object()) {
    if (auto name = j.find("groupName"); name != j.end() && name->is_string()) {
      c.group_name = name->get<std::string>();
    }
  }
  Result<JsonFields> f = JsonFields::Of(j, "SubscriptionGroupConfig " + c.group_name);
  if (!f.ok()) return f.status();
  HOLDFAST_RETURN_IF_ERROR(f->Read("groupName", &c.group_name));
  HOLDFAST_RETURN_IF_ERROR(f->Read("consumeEnable", &c.consume_enable));
  HOLDFAST_RETURN_IF_ERROR(f->Read("consumeFromMinEnable", &c.consume_from_min_enable));
  HOLDFAST_RETURN_IF_ERROR(f->Read("consumeBroadcastEnable", &c.consume_broadcast_enable));
  HOLDFAST_RETURN_IF_ERROR(f->Read("consumeMessageOrderly", &c.consume_message_orderly));
  HOLDFAST_RETURN_IF_ERROR(f->Read("retryQueueNums", &c.retry_queue_nums));
  HOLDFAST_RETURN_IF_ERROR(f->Read("retryMaxTimes", &c.retry_max_times));
  HOLDFAST_RETURN_IF_ERROR(f->Read("brokerId", &c.broker_id));
  HOLDFAST_RETURN_IF_ERROR(
      f->Read("whichBrokerWhenConsumeSlowly", &c.which_broker_when_consume_slowly));
  HOLDFAST_RETURN_IF_ERROR(
      f->Read("notifyConsumerIdsChangedEnable", &c.notify_consumer_ids_changed_enable));
  HOLDFAST_RETURN_IF_ERROR(f->Read("groupSysFlag", &c.group_sys_flag));
  HOLDFAST_RETURN_IF_ERROR(f->Read("consumeTimeoutMinute", &c.consume_timeout_minute));
  return c;
}

std::string EncodeSubscriptionGroupConfig(const SubscriptionGroupConfig& config) {
  return DumpJson(config.ToJson());
}

Result<SubscriptionGroupConfig> DecodeSubscriptionGroupConfig(std::string_view body) {
  Result<nlohmann::json> j = ParseJsonObject(body, "SubscriptionGroupConfig");
  if (!j.ok()) return j.status();
  return SubscriptionGroupConfig::FromJson(*j);
}

}  // namespace holdfast::protocol
