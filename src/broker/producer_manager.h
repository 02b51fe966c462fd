// RocketMQ's ProducerManager: the producer groups the broker knows from heartbeats, per group the
// client channels with their last heartbeat. (RocketMQ uses it to find a producer of a group for
// transaction checks; here it is the registry behind that and the admin connection queries.)
//
// Threads: every method may be called from any thread; one mutex guards the table.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "broker/client_channel_info.h"
#include "remoting/connection.h"

namespace holdfast::broker {

class ProducerManager {
 public:
  // channelExpiredTimeout: 120 s in RocketMQ.
  explicit ProducerManager(
      std::chrono::milliseconds channel_expired_timeout = std::chrono::milliseconds(120'000));

  // A producer's heartbeat: adds the channel or refreshes its timestamp and client id.
  void RegisterProducer(const std::string& group, const ClientChannelInfo& info);
  // UNREGISTER_CLIENT.
  void UnregisterProducer(const std::string& group, const remoting::Connection* channel);
  // The channel closed: drops it from every group.
  void DoChannelCloseEvent(const remoting::Connection* channel);
  // Drops (and closes) channels whose last heartbeat is older than the timeout at `now`; returns
  // how many.
  size_t ScanNotActiveChannel(
      std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

  // Copies of the group's channels (empty when unknown).
  std::vector<ClientChannelInfo> GetGroupChannels(const std::string& group) const;
  std::vector<std::string> GetGroups() const;

 private:
  const std::chrono::milliseconds channel_expired_timeout_;

  mutable std::mutex mu_;
  // group -> connection -> info; guarded by mu_. Groups without channels are removed.
  std::map<std::string, std::map<const remoting::Connection*, ClientChannelInfo>> table_;
};

}  // namespace holdfast::broker
