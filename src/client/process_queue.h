// ProcessQueue (RocketMQ's): the pulled messages of one MessageQueue that wait for, or are in, the
// listener, keyed by queue offset, and the state a consumer keeps per queue (dropped, pull and
// consume timestamps, and for orderly consumption the broker lock and the messages being
// consumed).
//
// The offset rule every consumer relies on: RemoveMessages() and Commit() return an offset that
// never passes a message still held here. A message is held from PutMessages() until it is removed
// (concurrent: its listener returned success, or it was sent back to the broker; orderly:
// Commit()). So committing what they return never skips an unfinished message.
//
// Thread-safe: every method takes the queue's own mutex. consume_mutex() is separate and only
// serialises orderly listeners of this queue with the rebalance that drops it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "holdfast/message.h"

namespace holdfast::client {

class ProcessQueue {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  // How long a broker lock taken by LOCK_BATCH_MQ is trusted locally
  // (rocketmq.client.rebalance.lockMaxLiveTime).
  static constexpr std::chrono::milliseconds kRebalanceLockMaxLiveTime{30'000};
  // How often orderly consumers renew their broker locks (rocketmq.client.rebalance.lockInterval).
  static constexpr std::chrono::milliseconds kRebalanceLockInterval{20'000};
  // A queue not pulled for this long is considered stuck and is dropped by rebalance.
  static constexpr std::chrono::milliseconds kPullMaxIdleTime{120'000};

  ProcessQueue();
  ProcessQueue(const ProcessQueue&) = delete;
  ProcessQueue& operator=(const ProcessQueue&) = delete;

  // Adds pulled messages (a message whose offset is already held is ignored). Returns true when
  // the caller should dispatch an orderly consume request: messages wait and no orderly request
  // is running for this queue (the flag is cleared by TakeMessages() finding nothing).
  bool PutMessages(const std::vector<MQMessageExt>& msgs);

  // Concurrent consumption: forgets `msgs` (consumed, or handed to the broker's retry topic) and
  // returns the offset that is safe to commit: the smallest offset still held, or the largest
  // offset ever put + 1 when none is held. -1 when nothing was held before the call (nothing to
  // commit).
  int64_t RemoveMessages(const std::vector<MQMessageExt>& msgs);

  // Orderly consumption: moves up to `batch_size` of the smallest held offsets to the
  // "consuming" set and returns them in offset order. An empty result clears the consuming flag.
  std::vector<MQMessageExt> TakeMessages(int batch_size);
  // The consuming set succeeded: forgets it and returns its largest offset + 1, or -1 when it was
  // empty.
  int64_t Commit();
  // These taken messages failed: they go back, as given (so an updated reconsume_times sticks),
  // to be taken again first.
  void MakeMessageToConsumeAgain(const std::vector<MQMessageExt>& msgs);
  // Every taken message goes back (used when an orderly queue loses its lock).
  void Rollback();

  // Concurrent consumption: `msgs` are entering their listener now (RocketMQ's
  // CONSUME_START_TIME), for the consume timeout.
  void MarkConsumeStart(const std::vector<MQMessageExt>& msgs, SteadyTime now);
  // The held message with the smallest offset, if its listener started more than `timeout`
  // before `now` (RocketMQ's cleanExpiredMsg looks only at the first one).
  std::optional<MQMessageExt> ExpiredFirstMessage(std::chrono::milliseconds timeout,
                                                  SteadyTime now) const;

  // Forgets every message (the queue is being dropped).
  void Clear();

  // Flow control figures.
  int64_t MsgCount() const;
  int64_t MsgSize() const;  // body bytes held
  // Largest minus smallest held offset; 0 when fewer than two are held.
  int64_t MaxSpan() const;
  // Smallest held offset, or -1.
  int64_t MinOffset() const;
  bool HasTempMessage() const;

  // A dropped queue is no longer this consumer's: nothing of it may be dispatched or committed.
  bool dropped() const { return dropped_.load(); }
  void set_dropped(bool dropped) { dropped_.store(dropped); }

  // Orderly: whether this client holds the broker lock, and when it was last confirmed.
  bool locked() const { return locked_.load(); }
  void set_locked(bool locked) { locked_.store(locked); }
  void set_last_lock_time(SteadyTime t);
  bool IsLockExpired() const;

  void set_last_pull_time(SteadyTime t);
  SteadyTime last_pull_time() const;
  bool IsPullExpired() const;
  void set_last_consume_time(SteadyTime t);
  SteadyTime last_consume_time() const;

  // Held by an orderly listener while it runs, and by rebalance before dropping an orderly queue,
  // so a queue's offset is persisted only after its running listener finished.
  std::timed_mutex& consume_mutex() { return consume_mutex_; }

 private:
  mutable std::mutex mu_;
  std::map<int64_t, MQMessageExt> msgs_;         // guarded by mu_: waiting, by queue offset
  std::map<int64_t, MQMessageExt> consuming_;    // guarded by mu_: taken by an orderly listener
  std::map<int64_t, SteadyTime> consume_start_;  // guarded by mu_: held offsets in a listener
  int64_t msg_count_ = 0;                        // guarded by mu_: msgs_ + consuming_
  int64_t msg_size_ = 0;                         // guarded by mu_
  int64_t queue_offset_max_ = -1;                // guarded by mu_
  bool consuming_flag_ = false;                  // guarded by mu_: an orderly request is running
  SteadyTime last_pull_time_;                    // guarded by mu_
  SteadyTime last_consume_time_;                 // guarded by mu_
  SteadyTime last_lock_time_;                    // guarded by mu_

  std::atomic<bool> dropped_{false};
  std::atomic<bool> locked_{false};
  std::timed_mutex consume_mutex_;
};

}  // namespace holdfast::client
