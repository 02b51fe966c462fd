// TimerMessageStore: delivers the timer messages routed to rmq_sys_wheel_timer (timer_routing.h)
// to their REAL_TOPIC / REAL_QID once due, to the second (docs/timer.md has the design).
//
// Files under <storePathRootDir>/timer/: `log/` (TimerLog: one 40-byte entry per timer message,
// append-only), `wheel` (TimerWheel: one slot per second over 2 * timerMaxDelaySec, heading that
// second's list of log entries) and `checkpoint` (TimerCheckpoint). The commit log and the timer
// topic's consume queue stay the source of truth: the checkpoint says how far the queue has been
// filed into log and wheel, and which seconds are delivered, so a crash at any point (kill -9)
// loses nothing; it may deliver a message twice.
//
// Costs: a message costs one entry write when filed and one entry read, one commit-log read and one
// put when due; a second with nothing due costs one slot read. Memory is the wheel's mapping
// (16 bytes a slot) and the pages being written, not proportional to the messages waiting; a
// second's deliveries keep one 40-byte entry per message due in that second while they run.
//
// Threads (owned): "TimerEnqueue" files new queue entries and writes the checkpoint every
// timerFlushIntervalMs; "TimerDequeue" delivers each second once the clock reaches it, with up to
// Options::max_in_flight puts in flight (the store's group commit makes them durable together),
// and moves to the next second only once every put of this one returned PUT_OK. The wheel and the
// filing position are guarded by mu_; the log has one appender (TimerEnqueue) and its entries are
// read by TimerDequeue only below the filing position. Start, Shutdown: one controlling thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "common/status.h"
#include "store/file_system.h"
#include "store/message_store.h"
#include "store/timer/timer_checkpoint.h"
#include "store/timer/timer_log.h"
#include "store/timer/timer_wheel.h"

namespace holdfast::store::timer {

struct TimerMessageStoreOptions {
  using PutFn = std::function<void(MessageExt, std::function<void(PutMessageResult)>)>;
  int64_t log_entries_per_file = 1 << 20;  // 40 MB timer-log files
  int max_in_flight = 4096;                // delivery puts outstanding at once
  // Seams for tests: the clock (epoch ms) and the delivery put (default: the store's
  // PutMessageAsync).
  std::function<int64_t()> now_ms;
  PutFn put;
};

class TimerMessageStore {
 public:
  using PutFn = TimerMessageStoreOptions::PutFn;
  using Options = TimerMessageStoreOptions;
  struct Stats {
    int64_t enqueue_offset = 0;  // timer-queue offset filed up to
    int64_t delivered_sec = 0;   // every second below it is delivered
    int64_t filed = 0;           // entries filed since Open
    int64_t delivered = 0;       // messages re-put (PUT_OK) since Open
    int64_t entries_read = 0;    // log entries read by deliveries since Open
    int64_t failed_puts = 0;     // re-puts that did not return PUT_OK (retried)
    int64_t skipped = 0;         // records that could not be delivered (no REAL_TOPIC, corrupt)
    int64_t log_bytes = 0;       // timer-log bytes on disk
    bool rebuilt = false;        // Open rebuilt the wheel from the log
  };

  // Loads and recovers the timer files (docs/timer.md, "Recovery"). Does not start the threads.
  static Result<std::unique_ptr<TimerMessageStore>> Open(MessageStore* store,
                                                         const MessageStoreConfig& config,
                                                         FileSystem* fs = FileSystem::Default(),
                                                         Options options = {});
  ~TimerMessageStore();
  TimerMessageStore(const TimerMessageStore&) = delete;
  TimerMessageStore& operator=(const TimerMessageStore&) = delete;

  void Start();
  // Stops both threads (a second being delivered is abandoned: it is delivered again after the
  // next Open) and writes the checkpoint. Idempotent.
  Status Shutdown();

  // The steps the threads run, for tests that drive them without the threads (not while started):
  // files every queue entry available now; delivers every second up to the clock's; writes the
  // checkpoint.
  Status FileAvailable();
  Status DeliverDue();
  Status Flush();

  Stats stats() const;

 private:
  TimerMessageStore(MessageStore* store, const MessageStoreConfig& config, FileSystem* fs,
                    Options options);
  Status Recover();
  Status RebuildWheel();
  // Files up to `max` queue entries; the count filed (0: nothing new, or waiting for the ring).
  Result<int> FileBatch(int max);
  // Delivers second `sec`; Ok only when every message of it was re-put with PUT_OK.
  Status DeliverSecond(int64_t sec);
  // Re-puts `entries`; those whose put failed are left in it.
  void PutAll(std::vector<TimerLogEntry>* entries);
  Status RemoveDeliveredFiles(int64_t delivered_sec);
  void EnqueueLoop();
  void DequeueLoop();
  // Sleeps up to `ms` or until Shutdown.
  void Pause(int64_t ms);

  MessageStore* const store_;
  const MessageStoreConfig config_;
  FileSystem* const fs_;
  Options options_;
  const std::string dir_;
  const int64_t slot_count_;

  std::unique_ptr<TimerCheckpoint> checkpoint_;  // Flush's (TimerEnqueue, or the caller)
  TimerLog log_;
  std::unique_ptr<TimerWheel> wheel_;
  bool rebuilt_ = false;

  mutable std::mutex mu_;
  int64_t enqueue_offset_ = 0;  // guarded by mu_
  // The first second still open for filing: the delivery of every earlier one has begun, so a
  // message due earlier is filed here. Guarded by mu_.
  int64_t open_sec_ = 0;
  std::atomic<int64_t> delivered_sec_{0};  // written by TimerDequeue only
  TimerProgress flushed_;                  // Flush's: what the checkpoint holds

  // Flush's: the highest second filed in each full log file, once scanned.
  std::vector<std::pair<int64_t, int64_t>> file_max_sec_;

  std::atomic<int64_t> filed_{0}, delivered_{0}, entries_read_{0}, failed_puts_{0}, skipped_{0};

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;  // guarded by stop_mu_
  std::thread enqueue_thread_;
  std::thread dequeue_thread_;
  bool started_ = false;
  bool shut_down_ = false;
};

}  // namespace holdfast::store::timer
