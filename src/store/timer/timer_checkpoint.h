// TimerCheckpoint: how far the timer store has got, in `<root>/timer/checkpoint` (docs/timer.md).
// Two copies, written in turn, each with a sequence number and a CRC: a crash while writing one
// leaves the other, so a valid checkpoint is always found once one was written.
//
// Promise: after Flush() returns ok, a later Load() sees these values or newer ones.
// Not thread-safe: one owner.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "store/file_system.h"

namespace holdfast::store::timer {

struct TimerProgress {
  // rmq_sys_wheel_timer queue offset below which every message has its timer-log entry filed.
  int64_t enqueue_offset = 0;
  // Timer-log position those entries end at; entries at or after it are not covered.
  int64_t log_end = 0;
  // Every second below it has been delivered and the deliveries are durable.
  int64_t delivered_sec = 0;
  // The wheel's ring size when written (a different one means the wheel is rebuilt).
  int64_t slot_count = 0;
};

class TimerCheckpoint {
 public:
  static Result<std::unique_ptr<TimerCheckpoint>> Open(FileSystem* fs, const std::string& path);

  bool valid() const { return valid_; }
  const TimerProgress& progress() const { return progress_; }
  // Writes p over the older copy and syncs.
  Status Flush(const TimerProgress& p);

 private:
  explicit TimerCheckpoint(std::unique_ptr<File> file) : file_(std::move(file)) {}

  std::unique_ptr<File> file_;
  bool valid_ = false;
  TimerProgress progress_;
  int64_t seq_ = 0;
};

}  // namespace holdfast::store::timer
