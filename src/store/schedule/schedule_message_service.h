// ScheduleMessageService: delivers delayed messages (docs/protocol.md §8.2; RocketMQ's name). A
// message put with a DELAY level waits in SCHEDULE_TOPIC_XXXX queue level - 1 (schedule_routing.h)
// with its delivery time as the consume-queue tags code; this service reads each level's queue in
// order and, once a message is due, puts it again to its REAL_TOPIC / REAL_QID
// (MakeDeliveredMessage: same UNIQ_KEY, body, born time and host, reconsumeTimes).
//
// Promise: a level's offset moves past a message only after its re-put returned PUT_OK, which
// under SYNC_FLUSH means the delivered record is durable; so a crash at any point loses no delayed
// message, and at worst delivers one again (at-least-once, as RocketMQ). Progress is persisted to
// <storePathRootDir>/config/delayOffset.json every flushDelayOffsetInterval and at Shutdown(),
// atomically (store::WriteFileAtomically); after a crash the levels resume from the file, and what
// was delivered after its last write is delivered again.
//
// Speed: each level re-puts its due messages as a batch of asynchronous puts in flight together
// (up to Options::batch_size), so under SYNC_FLUSH one group commit covers many of them, and the
// offset advances once the whole batch is answered. A message whose delivery time is further ahead
// than now + its level's delay (the clock went back) is due now.
//
// Failures: a re-put that is not PUT_OK, an unreadable entry or record stops the level's batch at
// that message: the messages before it count as delivered, it and the rest are tried again after
// Options::failure_backoff (RocketMQ waits 10 s). Those after it that were stored are then
// delivered twice. A waiting record without REAL_TOPIC / REAL_QID cannot be delivered: it is
// logged and passed over. A record whose commit-log file was already removed is passed over.
//
// Threads: one "ScheduleL<level>" thread per delay level, each the only one to move its level's
// offset, looking for due messages every Options::poll_interval (100 ms as RocketMQ) and at once
// after a full batch; and "DelayOffsetFlush", which persists the offsets. Re-put completions run on
// the store's threads and only hand their result back to the level thread. Offsets() and
// EncodedOffsets() may be called from any thread; Start() and Shutdown() by the owner.
//
// Ownership: the broker controller owns it and starts it on a master only (as RocketMQ); it must
// be shut down before the store it delivers into.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/file_system.h"
#include "store/message_store.h"
#include "store/schedule/delay_offset_table.h"

namespace holdfast::store::schedule {

class ScheduleMessageService {
 public:
  struct Options {
    std::chrono::milliseconds poll_interval{100};      // RocketMQ's DELAY_FOR_A_WHILE
    std::chrono::milliseconds failure_backoff{10000};  // RocketMQ's DELAY_FOR_A_PERIOD
    int32_t batch_size = 1024;                         // re-puts in flight per level
  };

  // <root>/config/delayOffset.json.
  static std::string OffsetFilePath(const std::string& store_root_dir);

  // The store (and fs) must outlive the service. Levels and the flush interval come from the
  // store's config (messageDelayLevel, flushDelayOffsetInterval).
  ScheduleMessageService(MessageStore* store, FileSystem* fs, Options options);
  ScheduleMessageService(MessageStore* store, FileSystem* fs)
      : ScheduleMessageService(store, fs, Options()) {}
  ~ScheduleMessageService();
  ScheduleMessageService(const ScheduleMessageService&) = delete;
  ScheduleMessageService& operator=(const ScheduleMessageService&) = delete;

  // Loads delayOffset.json (a missing file is a fresh start: every level from 0), moves each
  // level's offset into its queue's [min, max] (a level above the table's highest is dropped),
  // writes the file back and starts the threads. Corruption naming the file when it does not
  // decode; an I/O error from writing it. Nothing runs after a failure.
  Status Start();
  // Stops the threads (each finishes the batch it has in flight) and persists the offsets.
  // Idempotent; the destructor calls it.
  void Shutdown();

  // Writes the offsets to delayOffset.json now.
  Status Persist();

  // Level -> offset of the next message to deliver.
  DelayOffsetTable Offsets() const;
  // What Persist writes.
  std::string EncodedOffsets() const;
  // Messages put to their real topic since Start() (for tests and benchmarks).
  int64_t delivered() const { return delivered_.load(std::memory_order_relaxed); }
  // Rounds that stopped at a failure (a re-put not PUT_OK, an unreadable entry or record).
  int64_t failed_rounds() const { return failed_rounds_.load(std::memory_order_relaxed); }

 private:
  class LevelTask;
  class FlushTask;

  // One round of `level`: delivers the due messages of one batch. Returns how long to wait
  // before the next round.
  std::chrono::milliseconds DeliverRound(int32_t level);
  void SetOffset(int32_t level, int64_t offset);
  int64_t OffsetOf(int32_t level) const;

  // Constant after construction.
  MessageStore* const store_;
  FileSystem* const fs_;
  const Options options_;
  const std::string path_;

  std::vector<std::unique_ptr<LevelTask>> levels_;  // set by Start()
  std::unique_ptr<FlushTask> flush_;
  bool started_ = false;  // owner's thread only

  mutable std::mutex mu_;
  DelayOffsetTable offsets_;  // guarded by mu_

  std::mutex persist_mu_;  // serialises Persist (the later snapshot is the one left on disk)
  std::atomic<int64_t> delivered_{0};
  std::atomic<int64_t> failed_rounds_{0};
};

}  // namespace holdfast::store::schedule
