// TimerLog: the append-only file of timer entries (docs/timer.md). Every timer message the
// enqueue side takes from rmq_sys_wheel_timer becomes one fixed-size entry; the entries due in the
// same second form a singly linked list, newest first, whose head the wheel keeps (TimerWheel).
//
// Entry (40 bytes, big-endian): prev entry of the same second or -1 (8), commit-log offset of the
// timer record (8), due time ms (8), the second it is filed under (8), record size (4), CRC32 of
// the 36 bytes before (4). An entry never straddles segment files (the file size is a multiple of
// 40), and zeros never pass the CRC, so an entry that was not written reads as invalid.
//
// Files: dir/<20-digit offset>, kEntriesPerFile entries each (a MappedFileQueue, memory-mapped
// writes, positional reads: only the page being written stays resident).
//
// Thread safety: one appender (Append, Sync, TruncateTo, RemoveFilesBefore); Read from any thread
// for entries below end().
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "store/file_system.h"
#include "store/mapped_file_queue.h"

namespace holdfast::store::timer {

struct TimerLogEntry {
  int64_t prev = -1;
  int64_t commit_log_offset = 0;
  int64_t due_ms = 0;
  int64_t slot_sec = 0;
  int32_t size = 0;
};

class TimerLog {
 public:
  static constexpr int64_t kEntrySize = 40;

  // `entries_per_file` is a setting for tests; production uses the default (40 MB files).
  TimerLog(FileSystem* fs, std::string dir, int64_t entries_per_file = 1 << 20);

  // Opens the files; end() becomes the end of the last one (the caller truncates to what its
  // checkpoint covers).
  Status Load();
  // Position of the first entry kept and the next one to write.
  int64_t begin() const;
  int64_t end() const { return end_.load(std::memory_order_acquire); }

  // Writes the entry at end() and returns its position.
  Result<int64_t> Append(const TimerLogEntry& entry);
  // Corruption (naming the position) when the bytes there are not a valid entry.
  Result<TimerLogEntry> Read(int64_t pos) const;
  // Reads the entries of [from, to) in large pieces and calls fn(pos, entry) for each valid one;
  // stops at the first invalid one with Corruption naming it.
  Status Scan(int64_t from, int64_t to,
              const std::function<void(int64_t, const TimerLogEntry&)>& fn) const;
  // fdatasync of everything appended since the last Sync.
  Status Sync();
  // Drops every entry at or after pos (recovery).
  Status TruncateTo(int64_t pos);
  // Deletes whole files, oldest first, while `removable(file_begin, file_end)` says yes; never the
  // file being written.
  Status RemoveFilesWhile(const std::function<bool(int64_t, int64_t)>& removable);
  int64_t file_size() const { return files_.file_size(); }

 private:
  FileSystem* const fs_;
  MappedFileQueue files_;
  std::atomic<int64_t> end_{0};
  int64_t synced_ = 0;  // the appender's
};

}  // namespace holdfast::store::timer
