// TimerWheel: one slot per second over a ring of `slot_count` seconds (docs/timer.md). Slot
// (sec % slot_count) holds the second it currently stands for and the timer-log position of the
// newest entry filed under that second (-1: none), the head of that second's list. A slot whose
// second is not the one asked for is empty, so a slot is never cleared: filing a later second
// into it replaces it.
//
// File: one file of slot_count * 16 bytes (second, head; big-endian), memory-mapped whole. Its
// size is what the wheel costs in memory at most (2 * 259200 slots: 8.3 MB), whatever the number
// of messages waiting.
//
// Thread safety: none; TimerMessageStore serialises access under its mutex. Sync from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "store/file_system.h"

namespace holdfast::store::timer {

class TimerWheel {
 public:
  static constexpr int64_t kSlotSize = 16;

  // Opens or creates path with slot_count slots. `created` tells whether it was new (or had
  // another size, then it is made anew), i.e. holds nothing.
  static Result<std::unique_ptr<TimerWheel>> Open(FileSystem* fs, const std::string& path,
                                                  int64_t slot_count, bool* created);

  int64_t slot_count() const { return slot_count_; }
  // The head of `sec`'s list, -1 when it has none.
  int64_t Head(int64_t sec) const;
  // Makes `head` the head of `sec`'s list (taking the slot over from an older second).
  void SetHead(int64_t sec, int64_t head);
  // Every slot empty.
  void Clear();
  // Calls fn(sec, head) for every slot that heads a list.
  template <typename Fn>
  void ForEachHead(Fn fn) const {
    for (int64_t i = 0; i < slot_count_; ++i) {
      int64_t sec = Second(i);
      int64_t head = HeadAt(i);
      if (head >= 0) fn(sec, head);
    }
  }
  // fdatasync of the file.
  Status Sync() { return file_->Sync(); }

 private:
  TimerWheel(std::unique_ptr<File> file, std::unique_ptr<MappedRegion> region, int64_t slots)
      : file_(std::move(file)), region_(std::move(region)), slot_count_(slots) {}
  int64_t Index(int64_t sec) const { return ((sec % slot_count_) + slot_count_) % slot_count_; }
  int64_t Second(int64_t index) const;
  int64_t HeadAt(int64_t index) const;

  std::unique_ptr<File> file_;
  std::unique_ptr<MappedRegion> region_;
  const int64_t slot_count_;
};

}  // namespace holdfast::store::timer
