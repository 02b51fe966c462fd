#include "broker/message_queue.h"

namespace holdfast::broker {

nlohmann::json MessageQueue::ToJson() const {
  return {{"brokerName", broker_name}, {"queueId", queue_id}, {"topic", topic}};
}

Result<MessageQueue> MessageQueue::FromJson(const nlohmann::json& j) {
  if (!j.is_object()) return Status::InvalidArgument("MessageQueue must be a JSON object");
  MessageQueue mq;
  auto topic = j.find("topic");
  auto broker = j.find("brokerName");
  auto queue = j.find("queueId");
  if (topic == j.end() || !topic->is_string()) {
    return Status::InvalidArgument("MessageQueue.topic must be a string");
  }
  if (broker == j.end() || !broker->is_string()) {
    return Status::InvalidArgument("MessageQueue.brokerName must be a string");
  }
  if (queue == j.end() || !queue->is_number_integer()) {
    return Status::InvalidArgument("MessageQueue.queueId must be an integer");
  }
  mq.topic = topic->get<std::string>();
  mq.broker_name = broker->get<std::string>();
  mq.queue_id = queue->get<int32_t>();
  return mq;
}

}  // namespace holdfast::broker
