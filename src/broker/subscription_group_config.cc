#include "broker/subscription_group_config.h"

namespace holdfast::broker {

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
  if (!j.is_object()) return Status::Corruption("SubscriptionGroupConfig is not an object");
  SubscriptionGroupConfig c;
  const SubscriptionGroupConfig d;
  // nlohmann reports a wrong type by throwing; keep that inside this decoder.
  try {
    c.group_name = j.value("groupName", std::string());
    c.consume_enable = j.value("consumeEnable", d.consume_enable);
    c.consume_from_min_enable = j.value("consumeFromMinEnable", d.consume_from_min_enable);
    c.consume_broadcast_enable = j.value("consumeBroadcastEnable", d.consume_broadcast_enable);
    c.consume_message_orderly = j.value("consumeMessageOrderly", d.consume_message_orderly);
    c.retry_queue_nums = j.value("retryQueueNums", d.retry_queue_nums);
    c.retry_max_times = j.value("retryMaxTimes", d.retry_max_times);
    c.broker_id = j.value("brokerId", d.broker_id);
    c.which_broker_when_consume_slowly =
        j.value("whichBrokerWhenConsumeSlowly", d.which_broker_when_consume_slowly);
    c.notify_consumer_ids_changed_enable =
        j.value("notifyConsumerIdsChangedEnable", d.notify_consumer_ids_changed_enable);
    c.group_sys_flag = j.value("groupSysFlag", d.group_sys_flag);
    c.consume_timeout_minute = j.value("consumeTimeoutMinute", d.consume_timeout_minute);
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption("SubscriptionGroupConfig " + c.group_name + ": " + e.what());
  }
  return c;
}

}  // namespace holdfast::broker
