#include "broker/rebalance_lock_manager.h"

#include <spdlog/spdlog.h>

namespace holdfast::broker {

RebalanceLockManager::RebalanceLockManager(std::chrono::milliseconds lock_max_live_time)
    : lock_max_live_time_(lock_max_live_time) {}

std::set<MessageQueue> RebalanceLockManager::TryLockBatch(const std::string& group,
                                                          const std::set<MessageQueue>& mqs,
                                                          const std::string& client_id,
                                                          Clock::time_point now) {
  std::set<MessageQueue> locked;
  std::lock_guard lock(mu_);
  auto& group_table = table_[group];
  for (const MessageQueue& mq : mqs) {
    auto it = group_table.find(mq);
    if (it == group_table.end()) {
      group_table.emplace(mq, LockEntry{client_id, now});
      locked.insert(mq);
      continue;
    }
    LockEntry& entry = it->second;
    const bool expired = now - entry.last_update_timestamp > lock_max_live_time_;
    if (entry.client_id == client_id || expired) {
      if (entry.client_id != client_id) {
        spdlog::warn("rebalance lock of {} {}:{} expired, {} takes it from {}", group, mq.topic,
                     mq.queue_id, client_id, entry.client_id);
      }
      entry.client_id = client_id;
      entry.last_update_timestamp = now;
      locked.insert(mq);
    }
  }
  return locked;
}

void RebalanceLockManager::UnlockBatch(const std::string& group, const std::set<MessageQueue>& mqs,
                                       const std::string& client_id) {
  std::lock_guard lock(mu_);
  auto git = table_.find(group);
  if (git == table_.end()) return;
  for (const MessageQueue& mq : mqs) {
    auto it = git->second.find(mq);
    if (it != git->second.end() && it->second.client_id == client_id) git->second.erase(it);
  }
  if (git->second.empty()) table_.erase(git);
}

std::optional<std::string> RebalanceLockManager::LockOwner(const std::string& group,
                                                           const MessageQueue& mq,
                                                           Clock::time_point now) const {
  std::lock_guard lock(mu_);
  auto git = table_.find(group);
  if (git == table_.end()) return std::nullopt;
  auto it = git->second.find(mq);
  if (it == git->second.end()) return std::nullopt;
  if (now - it->second.last_update_timestamp > lock_max_live_time_) return std::nullopt;
  return it->second.client_id;
}

}  // namespace holdfast::broker
