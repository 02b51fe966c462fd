// A producer's view of one topic's writable queues (RocketMQ's TopicPublishInfo) and the
// round-robin choice of the next queue.
//
// Thread safety: the queue list is constant after construction; the round-robin index is atomic,
// so SelectOneMessageQueue may be called from any thread. Shared by shared_ptr<const ...>.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "client/topic_route_data.h"
#include "holdfast/message.h"

namespace holdfast::client {

class TopicPublishInfo {
 public:
  // Queues from `route` (TopicRouteToPublishQueues); an orderTopicConf makes it an order topic.
  TopicPublishInfo(const std::string& topic, TopicRouteData route);

  bool ok() const { return !queues_.empty(); }
  bool order_topic() const { return order_topic_; }
  const std::vector<MessageQueue>& queues() const { return queues_; }
  const TopicRouteData& route() const { return route_; }

  // The next queue round-robin, skipping queues of `last_broker_name` when another broker has
  // one (after a failure the retry goes elsewhere). Requires ok().
  MessageQueue SelectOneMessageQueue(const std::string& last_broker_name) const;
  // The next index of the round-robin (for the fault strategy's own scan).
  uint32_t NextIndex() const { return send_which_queue_.fetch_add(1); }

 private:
  const bool order_topic_;
  const TopicRouteData route_;
  const std::vector<MessageQueue> queues_;
  mutable std::atomic<uint32_t> send_which_queue_;
};

}  // namespace holdfast::client
