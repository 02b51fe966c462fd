#include "broker/consumer_manager.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

namespace holdfast::broker {

using protocol::ConsumeType;
using protocol::SubscriptionData;

namespace {

auto FindChannel(ConsumerGroupInfo& g, const remoting::Connection* channel) {
  return std::find_if(g.channels.begin(), g.channels.end(),
                      [channel](const ClientChannelInfo& c) { return c.channel.get() == channel; });
}

// RocketMQ's ConsumerGroupInfo.updateSubscription: new topics are added, a newer subVersion
// replaces the old subscription, topics no longer listed are removed. True when a topic was added
// or removed.
bool UpdateSubscription(ConsumerGroupInfo& g, const std::vector<SubscriptionData>& subs) {
  bool updated = false;
  std::set<std::string> listed;
  for (const SubscriptionData& sub : subs) {
    listed.insert(sub.topic);
    auto it = g.subscription_table.find(sub.topic);
    if (it == g.subscription_table.end()) {
      g.subscription_table.emplace(sub.topic, sub);
      updated = true;
    } else if (sub.sub_version > it->second.sub_version) {
      it->second = sub;
    }
  }
  for (auto it = g.subscription_table.begin(); it != g.subscription_table.end();) {
    if (!listed.contains(it->first)) {
      spdlog::warn("subscription changed, group {} removes topic {}", g.group_name, it->first);
      it = g.subscription_table.erase(it);
      updated = true;
    } else {
      ++it;
    }
  }
  return updated;
}

}  // namespace

ConsumerManager::ConsumerManager(ConsumerIdsChangeListener listener,
                                 std::chrono::milliseconds channel_expired_timeout)
    : listener_(std::move(listener)), channel_expired_timeout_(channel_expired_timeout) {}

std::vector<std::shared_ptr<remoting::Connection>> ConsumerManager::Channels(
    const ConsumerGroupInfo& g) {
  std::vector<std::shared_ptr<remoting::Connection>> out;
  out.reserve(g.channels.size());
  for (const ClientChannelInfo& c : g.channels) out.push_back(c.channel);
  return out;
}

void ConsumerManager::Fire(const std::vector<Event>& events) const {
  if (!listener_) return;
  for (const Event& e : events) listener_(e.type, e.group, e.channels);
}

bool ConsumerManager::RegisterConsumer(const std::string& group, const ClientChannelInfo& info,
                                       ConsumeType consume_type, MessageModel message_model,
                                       int32_t consume_from_where,
                                       const std::vector<SubscriptionData>& subscriptions,
                                       bool notify_consumer_ids_changed) {
  std::vector<Event> events;
  bool changed = false;
  {
    std::lock_guard lock(mu_);
    ConsumerGroupInfo& g = table_[group];
    g.group_name = group;
    g.consume_type = consume_type;
    g.message_model = message_model;
    g.consume_from_where = consume_from_where;
    auto it = FindChannel(g, info.channel.get());
    if (it == g.channels.end()) {
      g.channels.push_back(info);
      spdlog::info("new consumer connected, group {} client {} from {}", group, info.client_id,
                   info.channel ? info.channel->peer() : "?");
      changed = true;
    } else {
      if (it->client_id != info.client_id) {
        spdlog::error("consumer channel of group {} changed client id from {} to {}", group,
                      it->client_id, info.client_id);
      }
      *it = info;
    }
    if (UpdateSubscription(g, subscriptions)) changed = true;
    if (changed && notify_consumer_ids_changed) {
      events.push_back({ConsumerGroupEvent::kChange, group, Channels(g)});
    }
  }
  Fire(events);
  return changed;
}

bool ConsumerManager::RemoveChannelLocked(const std::string& group,
                                          const remoting::Connection* channel, bool notify,
                                          std::vector<Event>* events) {
  auto git = table_.find(group);
  if (git == table_.end()) return false;
  ConsumerGroupInfo& g = git->second;
  auto it = FindChannel(g, channel);
  if (it == g.channels.end()) return false;
  spdlog::info("consumer {} of group {} removed", it->client_id, group);
  g.channels.erase(it);
  std::vector<std::shared_ptr<remoting::Connection>> remaining = Channels(g);
  if (g.channels.empty()) {
    table_.erase(git);
    events->push_back({ConsumerGroupEvent::kUnregister, group, {}});
  }
  if (notify) events->push_back({ConsumerGroupEvent::kChange, group, std::move(remaining)});
  return true;
}

void ConsumerManager::UnregisterConsumer(const std::string& group,
                                         const remoting::Connection* channel,
                                         bool notify_consumer_ids_changed) {
  std::vector<Event> events;
  {
    std::lock_guard lock(mu_);
    RemoveChannelLocked(group, channel, notify_consumer_ids_changed, &events);
  }
  Fire(events);
}

void ConsumerManager::DoChannelCloseEvent(const remoting::Connection* channel) {
  std::vector<Event> events;
  {
    std::lock_guard lock(mu_);
    std::vector<std::string> groups;
    for (const auto& [name, g] : table_) groups.push_back(name);
    for (const std::string& name : groups) RemoveChannelLocked(name, channel, true, &events);
  }
  Fire(events);
}

size_t ConsumerManager::ScanNotActiveChannel(std::chrono::steady_clock::time_point now) {
  std::vector<Event> events;
  std::vector<std::shared_ptr<remoting::Connection>> expired_channels;
  {
    std::lock_guard lock(mu_);
    std::vector<std::pair<std::string, const remoting::Connection*>> expired;
    for (const auto& [name, g] : table_) {
      for (const ClientChannelInfo& c : g.channels) {
        if (now - c.last_update_timestamp > channel_expired_timeout_) {
          spdlog::warn("consumer {} of group {} expired: no heartbeat for {} ms", c.client_id, name,
                       channel_expired_timeout_.count());
          expired.emplace_back(name, c.channel.get());
          expired_channels.push_back(c.channel);
        }
      }
    }
    for (const auto& [name, channel] : expired) RemoveChannelLocked(name, channel, true, &events);
  }
  for (const auto& channel : expired_channels) {
    if (channel) channel->Close(Status::Unavailable("consumer channel expired"));
  }
  Fire(events);
  return expired_channels.size();
}

std::optional<ConsumerGroupInfo> ConsumerManager::GetConsumerGroupInfo(
    const std::string& group) const {
  std::lock_guard lock(mu_);
  auto it = table_.find(group);
  if (it == table_.end()) return std::nullopt;
  return it->second;
}

std::optional<SubscriptionData> ConsumerManager::FindSubscriptionData(
    const std::string& group, const std::string& topic) const {
  std::lock_guard lock(mu_);
  auto it = table_.find(group);
  if (it == table_.end()) return std::nullopt;
  auto sit = it->second.subscription_table.find(topic);
  if (sit == it->second.subscription_table.end()) return std::nullopt;
  return sit->second;
}

std::vector<std::string> ConsumerManager::GetAllClientId(const std::string& group) const {
  std::vector<std::string> ids;
  std::lock_guard lock(mu_);
  auto it = table_.find(group);
  if (it == table_.end()) return ids;
  for (const ClientChannelInfo& c : it->second.channels) ids.push_back(c.client_id);
  return ids;
}

}  // namespace holdfast::broker
