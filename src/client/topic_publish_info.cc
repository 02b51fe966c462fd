#include "client/topic_publish_info.h"

#include <random>

namespace holdfast::client {

TopicPublishInfo::TopicPublishInfo(const std::string& topic, TopicRouteData route)
    : order_topic_(!route.order_topic_conf.value_or("").empty()),
      route_(std::move(route)),
      queues_(TopicRouteToPublishQueues(route_, topic)),
      // A random start, as RocketMQ's ThreadLocalIndex, so producers do not all begin at queue 0.
      send_which_queue_(std::random_device{}()) {}

MessageQueue TopicPublishInfo::SelectOneMessageQueue(const std::string& last_broker_name) const {
  const size_t n = queues_.size();
  if (!last_broker_name.empty()) {
    for (size_t i = 0; i < n; ++i) {
      const MessageQueue& mq = queues_[NextIndex() % n];
      if (mq.broker_name != last_broker_name) return mq;
    }
  }
  return queues_[NextIndex() % n];
}

}  // namespace holdfast::client
