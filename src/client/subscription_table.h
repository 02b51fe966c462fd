// A consumer's subscriptions by topic (RocketMQ's RebalanceImpl.subscriptionInner), shared by the
// push and the lite pull consumer.
//
// Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client/subscription_data.h"

namespace holdfast::client {

class SubscriptionTable {
 public:
  void Put(SubscriptionData subscription);
  // False when `topic` was not subscribed.
  bool Remove(const std::string& topic);
  std::optional<SubscriptionData> Find(const std::string& topic) const;
  bool Contains(const std::string& topic) const;
  bool Empty() const;
  std::set<std::string> Topics() const;
  std::vector<SubscriptionData> All() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, SubscriptionData> by_topic_;  // guarded by mu_
};

}  // namespace holdfast::client
