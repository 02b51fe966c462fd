#include "client/subscription_table.h"

namespace holdfast::client {

void SubscriptionTable::Put(SubscriptionData subscription) {
  std::lock_guard lock(mu_);
  std::string topic = subscription.topic;
  by_topic_[topic] = std::move(subscription);
}

bool SubscriptionTable::Remove(const std::string& topic) {
  std::lock_guard lock(mu_);
  return by_topic_.erase(topic) != 0;
}

std::optional<SubscriptionData> SubscriptionTable::Find(const std::string& topic) const {
  std::lock_guard lock(mu_);
  auto it = by_topic_.find(topic);
  if (it == by_topic_.end()) return std::nullopt;
  return it->second;
}

bool SubscriptionTable::Contains(const std::string& topic) const {
  std::lock_guard lock(mu_);
  return by_topic_.count(topic) != 0;
}

bool SubscriptionTable::Empty() const {
  std::lock_guard lock(mu_);
  return by_topic_.empty();
}

std::set<std::string> SubscriptionTable::Topics() const {
  std::lock_guard lock(mu_);
  std::set<std::string> out;
  for (const auto& [topic, sub] : by_topic_) out.insert(topic);
  return out;
}

std::vector<SubscriptionData> SubscriptionTable::All() const {
  std::lock_guard lock(mu_);
  std::vector<SubscriptionData> out;
  for (const auto& [topic, sub] : by_topic_) out.push_back(sub);
  return out;
}

}  // namespace holdfast::client
