// The queues a producer or consumer derives from a topic's route (GET_ROUTEINFO_BY_TOPIC's
// TopicRouteData, docs/protocol.md §5.1), under the client's names for the route values.
//
// Plain values; no synchronisation.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "holdfast/message.h"
#include "remoting/topic_route_data.h"

namespace holdfast::client {

// The route values and their decoder are shared with the name server
// (remoting/topic_route_data.h).
using remoting::BrokerData;
using remoting::DecodeTopicRouteData;
using remoting::kMasterId;
using remoting::QueueData;
using remoting::TopicRouteData;

// PermName bits.
inline constexpr int32_t kPermRead = 0x4;
inline constexpr int32_t kPermWrite = 0x2;

// The queues a producer may send to (RocketMQ's topicRouteData2TopicPublishInfo): with an
// orderTopicConf, queues 0..n-1 of each "broker:n" entry in that order; otherwise, for each
// writable QueueData sorted by broker name whose broker has a registered master, queues
// 0..writeQueueNums-1.
std::vector<MessageQueue> TopicRouteToPublishQueues(const TopicRouteData& route,
                                                    const std::string& topic);

// The queues a consumer may read: queues 0..readQueueNums-1 of every readable QueueData.
std::set<MessageQueue> TopicRouteToSubscribeQueues(const TopicRouteData& route,
                                                   const std::string& topic);

}  // namespace holdfast::client
