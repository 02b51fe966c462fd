// RocketMQ's RebalanceLockManager: broker-side locks for orderly consumption (LOCK_BATCH_MQ /
// UNLOCK_BATCH_MQ, docs/protocol.md §8.10). Per consumer group and MessageQueue, the client id
// holding the lock and when it last locked; a lock not renewed for lockMaxLiveTime (60 s,
// rocketmq.broker.rebalance.lockMaxLiveTime) may be taken by another client.
//
// Threads: every method may be called from any thread; one mutex guards the table.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "holdfast/message.h"

namespace holdfast::broker {

class RebalanceLockManager {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RebalanceLockManager(
      std::chrono::milliseconds lock_max_live_time = std::chrono::milliseconds(60'000));

  // Locks (or renews) every queue of `mqs` that is free, expired or already held by `client_id`;
  // returns those now held by `client_id`.
  std::set<MessageQueue> TryLockBatch(const std::string& group, const std::set<MessageQueue>& mqs,
                                      const std::string& client_id,
                                      Clock::time_point now = Clock::now());
  // Releases the queues of `mqs` held by `client_id`; others' locks are untouched.
  void UnlockBatch(const std::string& group, const std::set<MessageQueue>& mqs,
                   const std::string& client_id);

  // The client holding an unexpired lock on `mq` at `now`.
  std::optional<std::string> LockOwner(const std::string& group, const MessageQueue& mq,
                                       Clock::time_point now = Clock::now()) const;

 private:
  struct LockEntry {
    std::string client_id;
    Clock::time_point last_update_timestamp;
  };

  const std::chrono::milliseconds lock_max_live_time_;

  mutable std::mutex mu_;
  std::map<std::string, std::map<MessageQueue, LockEntry>> table_;  // guarded by mu_
};

}  // namespace holdfast::broker
