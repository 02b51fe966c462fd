// RocketMQ's ConsumerManager (with its ConsumerGroupInfo): the consumer groups the broker knows
// from heartbeats, per group the client channels (connection + client id + last heartbeat), the
// subscriptions by topic, and the group's consume type, message model and consume-from-where.
//
// Membership changes (a new channel in RegisterConsumer, UnregisterConsumer, a closed channel, an
// expired channel) and subscription changes call the ConsumerIdsChangeListener with kChange and
// the group's remaining channels (RocketMQ then sends NOTIFY_CONSUMER_IDS_CHANGED to each, see
// DefaultConsumerIdsChangeListener). A group left with no channel is removed (kUnregister first).
// Subscriptions: per topic the one with the highest subVersion wins; topics missing from a
// heartbeat are dropped.
//
// Threads: every method may be called from any thread; one mutex guards the table. The listener
// runs on the caller's thread after the mutex is released, so it may call back in.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "broker/client_channel_info.h"
#include "remoting/connection.h"
#include "remoting/protocol/heartbeat_data.h"

namespace holdfast::broker {

enum class ConsumerGroupEvent { kChange, kUnregister };

using ConsumerIdsChangeListener =
    std::function<void(ConsumerGroupEvent event, const std::string& group,
                       const std::vector<std::shared_ptr<remoting::Connection>>& channels)>;

// A copy of one group's state.
struct ConsumerGroupInfo {
  std::string group_name;
  protocol::ConsumeType consume_type = protocol::ConsumeType::kConsumePassively;
  MessageModel message_model = MessageModel::kClustering;
  int32_t consume_from_where = 0;           // Java ConsumeFromWhere ordinal
  std::vector<ClientChannelInfo> channels;  // in registration order
  std::map<std::string, protocol::SubscriptionData> subscription_table;  // topic -> subscription
};

class ConsumerManager {
 public:
  // channelExpiredTimeout: 120 s in RocketMQ.
  explicit ConsumerManager(
      ConsumerIdsChangeListener listener,
      std::chrono::milliseconds channel_expired_timeout = std::chrono::milliseconds(120'000));

  // A consumer's heartbeat. Returns true when the group's channels or subscriptions changed;
  // the listener is told (kChange) only when also `notify_consumer_ids_changed`.
  bool RegisterConsumer(const std::string& group, const ClientChannelInfo& info,
                        protocol::ConsumeType consume_type, MessageModel message_model,
                        int32_t consume_from_where,
                        const std::vector<protocol::SubscriptionData>& subscriptions,
                        bool notify_consumer_ids_changed);
  // UNREGISTER_CLIENT: drops `channel` from the group.
  void UnregisterConsumer(const std::string& group, const remoting::Connection* channel,
                          bool notify_consumer_ids_changed);
  // The channel closed: drops it from every group (always notifies).
  void DoChannelCloseEvent(const remoting::Connection* channel);
  // Drops (and closes) every channel whose last heartbeat is older than the timeout at `now`.
  // Returns how many were dropped.
  size_t ScanNotActiveChannel(
      std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

  std::optional<ConsumerGroupInfo> GetConsumerGroupInfo(const std::string& group) const;
  std::optional<protocol::SubscriptionData> FindSubscriptionData(const std::string& group,
                                                                 const std::string& topic) const;
  // The client ids of the group's channels (empty when the group is unknown).
  std::vector<std::string> GetAllClientId(const std::string& group) const;

 private:
  struct Event {
    ConsumerGroupEvent type;
    std::string group;
    std::vector<std::shared_ptr<remoting::Connection>> channels;
  };

  // Removes `channel` from `group`; appends the events to `events`. Requires mu_.
  bool RemoveChannelLocked(const std::string& group, const remoting::Connection* channel,
                           bool notify, std::vector<Event>* events);
  void Fire(const std::vector<Event>& events) const;
  static std::vector<std::shared_ptr<remoting::Connection>> Channels(const ConsumerGroupInfo& g);

  // Constant after construction.
  const ConsumerIdsChangeListener listener_;
  const std::chrono::milliseconds channel_expired_timeout_;

  mutable std::mutex mu_;
  std::map<std::string, ConsumerGroupInfo> table_;  // guarded by mu_
};

}  // namespace holdfast::broker
