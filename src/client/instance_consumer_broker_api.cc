#include "client/instance_consumer_broker_api.h"

namespace holdfast::client {

InstanceConsumerBrokerApi::InstanceConsumerBrokerApi(MQClientInstance* instance)
    : instance_(instance) {}

std::string InstanceConsumerBrokerApi::ClientId() const { return instance_->client_id(); }

std::vector<std::string> InstanceConsumerBrokerApi::FindConsumerIdList(const std::string& topic,
                                                                       const std::string& group) {
  return instance_->FindConsumerIdList(topic, group);
}

Result<std::string> InstanceConsumerBrokerApi::BrokerAddr(const std::string& broker_name,
                                                          const std::string& topic) {
  std::optional<std::string> addr = instance_->FindBrokerAddressInSubscribe(broker_name);
  if (!addr) {
    instance_->UpdateTopicRouteInfoFromNameServer(topic);
    addr = instance_->FindBrokerAddressInSubscribe(broker_name);
  }
  if (!addr) {
    return Status::Unavailable("no address known for broker " + broker_name + " of topic " + topic);
  }
  return *addr;
}

Result<int64_t> InstanceConsumerBrokerApi::GetMaxOffset(const MessageQueue& mq) {
  Result<std::string> addr = BrokerAddr(mq.broker_name, mq.topic);
  if (!addr.ok()) return addr.status();
  return instance_->api().GetMaxOffset(*addr, mq.topic, mq.queue_id,
                                       instance_->config().mq_client_api_timeout);
}

Result<int64_t> InstanceConsumerBrokerApi::GetMinOffset(const MessageQueue& mq) {
  Result<std::string> addr = BrokerAddr(mq.broker_name, mq.topic);
  if (!addr.ok()) return addr.status();
  return instance_->api().GetMinOffset(*addr, mq.topic, mq.queue_id,
                                       instance_->config().mq_client_api_timeout);
}

Result<int64_t> InstanceConsumerBrokerApi::SearchOffset(const MessageQueue& mq,
                                                        int64_t timestamp_ms) {
  Result<std::string> addr = BrokerAddr(mq.broker_name, mq.topic);
  if (!addr.ok()) return addr.status();
  return instance_->api().SearchOffset(*addr, mq.topic, mq.queue_id, timestamp_ms,
                                       instance_->config().mq_client_api_timeout);
}

Result<std::set<MessageQueue>> InstanceConsumerBrokerApi::LockBatchMQ(
    const std::string& broker_name, const std::string& group, const std::set<MessageQueue>& mqs) {
  if (mqs.empty()) return std::set<MessageQueue>{};
  Result<std::string> addr = BrokerAddr(broker_name, mqs.begin()->topic);
  if (!addr.ok()) return addr.status();
  return instance_->api().LockBatchMQ(*addr, group, instance_->client_id(), mqs,
                                      instance_->config().mq_client_api_timeout);
}

Status InstanceConsumerBrokerApi::UnlockBatchMQ(const std::string& broker_name,
                                                const std::string& group,
                                                const std::set<MessageQueue>& mqs, bool oneway) {
  if (mqs.empty()) return Status::Ok();
  Result<std::string> addr = BrokerAddr(broker_name, mqs.begin()->topic);
  if (!addr.ok()) return addr.status();
  return instance_->api().UnlockBatchMQ(*addr, group, instance_->client_id(), mqs,
                                        instance_->config().mq_client_api_timeout, oneway);
}

Status InstanceConsumerBrokerApi::SendMessageBack(const MQMessageExt& msg, const std::string& group,
                                                  int delay_level, int max_reconsume_times) {
  std::optional<std::string> addr = instance_->FindBrokerAddressInPublish(msg.broker_name);
  std::string target = addr ? *addr : msg.store_host;
  if (target.empty()) {
    return Status::Unavailable("no address for broker " + msg.broker_name + " to send back " +
                               msg.msg_id);
  }
  return instance_->api().ConsumerSendMessageBack(target, msg, group, delay_level,
                                                  instance_->config().mq_client_api_timeout,
                                                  max_reconsume_times);
}

Status InstanceConsumerBrokerApi::SendToRetryTopic(const RetryTopicMessage& msg) {
  Result<SendResult> sent =
      instance_->SendByInnerProducer(msg.topic, msg.body, msg.flag, msg.properties);
  if (!sent.ok()) return sent.status();
  if (sent->send_status != SendStatus::kSendOk) {
    return Status::Unavailable("send to " + msg.topic + " answered " +
                               SendStatusName(sent->send_status) + ", not SEND_OK");
  }
  return Status::Ok();
}

Result<int64_t> InstanceConsumerBrokerApi::QueryConsumerOffset(const std::string& group,
                                                               const MessageQueue& mq) {
  Result<std::string> addr = BrokerAddr(mq.broker_name, mq.topic);
  if (!addr.ok()) return addr.status();
  return instance_->api().QueryConsumerOffset(*addr, group, mq.topic, mq.queue_id,
                                              instance_->config().mq_client_api_timeout);
}

Status InstanceConsumerBrokerApi::UpdateConsumerOffsetOneway(const std::string& group,
                                                             const MessageQueue& mq,
                                                             int64_t offset) {
  Result<std::string> addr = BrokerAddr(mq.broker_name, mq.topic);
  if (!addr.ok()) return addr.status();
  return instance_->api().UpdateConsumerOffsetOneway(*addr, group, mq.topic, mq.queue_id, offset);
}

}  // namespace holdfast::client
