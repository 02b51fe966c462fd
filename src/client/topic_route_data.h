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
#include "remoting/protocol/topic_route_data.h"

namespace holdfast::client {

// The route values and their decoder are the protocol layer's, shared with the name server
// (remoting/protocol/topic_route_data.h); these are the client's names for them.
using protocol::BrokerData;
using protocol::DecodeTopicRouteData;
using protocol::kMasterId;
using protocol::QueueData;
using protocol::TopicRouteData;

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
