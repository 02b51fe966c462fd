// The face a producer shows the MQClientInstance it registers with (RocketMQ's MQProducerInner):
// which topics it publishes to, so the instance refreshes their routes and hands them back.
// Calls come from the instance's scheduled-task thread or a thread refreshing a route, serialised
// by the instance, and never after UnregisterProducer returned.
#pragma once

#include <set>
#include <string>

#include "client/topic_route_data.h"

namespace holdfast::client {

class MQProducerInner {
 public:
  virtual ~MQProducerInner() = default;

  virtual std::set<std::string> PublishTopicList() const = 0;
  // A new route for `topic`, which is in PublishTopicList().
  virtual void UpdateTopicPublishInfo(const std::string& topic, const TopicRouteData& route) = 0;
};

}  // namespace holdfast::client
