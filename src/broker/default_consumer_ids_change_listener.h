// RocketMQ's DefaultConsumerIdsChangeListener with Broker2Client.notifyConsumerIdsChanged: on a
// kChange event it sends NOTIFY_CONSUMER_IDS_CHANGED (40, oneway, header consumerGroup) to every
// channel of the group, so the clients rebalance at once (docs/protocol.md §8.10). When
// notifyConsumerIdsChangedEnable is false it sends nothing.
//
// Threads: the listener runs on whatever thread changed the ConsumerManager; sending only queues
// the frame on each connection, it never blocks.
#pragma once

#include <memory>
#include <string>

#include "broker/consumer_manager.h"
#include "remoting/connection.h"

namespace holdfast::broker {

ConsumerIdsChangeListener MakeDefaultConsumerIdsChangeListener(
    bool notify_consumer_ids_changed_enable);

// One NOTIFY_CONSUMER_IDS_CHANGED to `channel`; failures (a closed channel) are logged.
void NotifyConsumerIdsChanged(const std::shared_ptr<remoting::Connection>& channel,
                              const std::string& group);

}  // namespace holdfast::broker
