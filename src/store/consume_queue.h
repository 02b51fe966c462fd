// One consume queue: the ordered list of (commit-log offset, size, tags code) entries of one
// topic and queue id, 20 bytes each, in files of mappedFileSizeConsumeQueue bytes under
// <root>/consumequeue/<topic>/<queueId>/ (RocketMQ's ConsumeQueue). Entry n sits at byte n * 20.
// The files grow as entries are written (MappedFile::Access::kMappedGrowing), so a queue costs
// disk and memory for what it holds, not for its segment size.
//
// Thread safety: PutEntry is called by one writer (the reput service, or recovery before it
// starts); Load and TruncateDirty only by recovery; Flush by one flushing thread, concurrently with
// the writer. Readers may call GetEntries and the offset getters from any thread; they see only
// entries below MaxOffset(), which advances after an entry is written.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/file_system.h"
#include "store/mapped_file_queue.h"

namespace holdfast::store {

inline constexpr int64_t kConsumeQueueUnitSize = 20;

class ConsumeQueue {
 public:
  struct Entry {
    int64_t commit_log_offset = 0;
    int32_t size = 0;
    int64_t tags_code = 0;
  };

  ConsumeQueue(FileSystem* fs, const std::string& root_dir, std::string topic, int32_t queue_id,
               int64_t file_size);

  const std::string& topic() const { return topic_; }
  int32_t queue_id() const { return queue_id_; }

  // Opens the files and finds the end of the queue: after the last entry of its last file that is
  // not all zeros (a queue whose first entry is all zeros ends at its start). Reads only the tail
  // of that file, and faults nothing into memory.
  Status Load();
  // Writes the entry for queue offset `offset`. Writing an offset below MaxOffset() rewrites it
  // (recovery re-dispatches); writing past it leaves a gap, which is logged.
  Status PutEntry(int64_t offset, const Entry& entry);
  // Drops every entry from the first one that is empty, damaged (it cannot describe a message:
  // negative offset, size below 1) or whose message ends after commit-log offset `max_phy_offset`
  // (>= 0). For recovery, once every record the checkpoint does not count as flushed has been
  // written again. Entries are taken to be in commit-log order, as they are written; the cut is
  // searched for, so a damaged entry among good ones before the cut may stay (GetEntries refuses
  // it).
  Status TruncateDirty(int64_t max_phy_offset);
  // Up to max entries from `offset`, stopping at MaxOffset(), at a file boundary and before a
  // damaged entry; none when offset is outside [MinOffset(), MaxOffset()). Every entry returned
  // can describe a message (commit-log offset >= 0, size > 0). An offset in that range with no
  // entry to show (its segment is gone, it reads as empty because bytes were lost under the live
  // store, or it is damaged) is an error, Corruption naming the file and entry, never an empty
  // answer, so that no caller mistakes it for the end of the queue. The entries before such a one
  // are returned; the error comes when it is the first.
  Result<std::vector<Entry>> GetEntries(int64_t offset, int max) const;
  // Makes every entry written so far durable. A failed sync is sticky: that error is returned by
  // every later Flush of this queue, because the kernel may have dropped the unsynced pages, and
  // a later sync that succeeds would not bring them back. Recovery, from a checkpoint that never
  // counted these entries as flushed, writes them again.
  Status Flush();

  int64_t MinOffset() const;
  // The number of entries, i.e. the next offset to write.
  int64_t MaxOffset() const { return max_offset_.load(std::memory_order_acquire); }

 private:
  Status CutAt(int64_t offset);

  const std::string topic_;
  const int32_t queue_id_;
  MappedFileQueue files_;
  std::atomic<int64_t> max_offset_{0};
  int64_t flushed_to_ = 0;  // the flushing thread only (recovery before it): bytes synced
  Status flush_error_;      // the flushing thread only: the sticky error of Flush
};

}  // namespace holdfast::store
