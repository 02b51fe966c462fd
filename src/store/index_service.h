// RocketMQ's IndexService: finds messages by key (KEYS property) and by unique id (UNIQ_KEY)
// through the index files under <storeRoot>/index/.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/dispatch_request.h"
#include "store/file_system.h"
#include "store/index_file.h"

namespace holdfast::store {

// Lifecycle: construct, Load once before anything else, then BuildIndex / QueryOffsets / Flush.
// Files are named by the local time of their creation, yyyyMMddHHmmssSSS, and their names sort
// in creation order (a name is bumped past the previous one when the clock would repeat it).
//
// Threads: BuildIndex is called by one thread at a time (the reput/dispatch thread); QueryOffsets,
// Flush and the accessors may be called from any thread concurrently with it and with each other.
// Queries and accessors share mu_; BuildIndex holds it exclusively (including the sync of a file
// it rolls away from); Flush holds it only to pick the files to sync, and syncs outside it, with
// concurrent Flush calls serialised by flush_mu_.
//
// Errors: after a failed write, sync or file creation the service keeps that error (sticky):
// every later BuildIndex and Flush returns it until a new IndexService is loaded. Queries still
// answer from what is there.
class IndexService {
 public:
  // fs must outlive the service. max_hash_slot_num and max_index_num are the geometry of every
  // file (RocketMQ's maxHashSlotNum / maxIndexNum); files created with another geometry do not
  // load.
  IndexService(FileSystem* fs, std::string index_dir, int32_t max_hash_slot_num,
               int32_t max_index_num);
  IndexService(const IndexService&) = delete;
  IndexService& operator=(const IndexService&) = delete;

  // Opens the existing files, in name order. A missing directory is an empty index. Files whose
  // names are not 17 digits are ignored. Returns Corruption naming the file when one has a bad
  // size or header, or an I/O error.
  Status Load();

  // Indexes one dispatched record under "topic#UNIQ_KEY" and "topic#k" for each non-empty
  // space-separated k in KEYS, and the same under its real_topic when it has one (a delayed or
  // timer message waiting in a system topic, so a query on the real topic finds it). Does nothing
  // (and returns ok) for rollback transaction records, records without keys, and records below
  // LastIndexedPhyOffset() (already indexed: recovery re-dispatches). Creates the first file, or a
  // new one when the current file is full (the full one is synced first). Returns InvalidArgument
  // for a negative offset or timestamp, otherwise ok or the sticky error. Nothing is durable until
  // Flush.
  Status BuildIndex(const DispatchRequest& req);

  // Up to max_num distinct commit-log offsets of messages of topic indexed under key (a KEYS
  // entry or a UNIQ_KEY) whose store time overlaps [begin_ts, end_ts] (milliseconds, to the
  // second), newest first. These are candidates: a key with the same hash also matches, so
  // callers check the message itself.
  std::vector<int64_t> QueryOffsets(std::string_view topic, std::string_view key, int max_num,
                                    int64_t begin_ts, int64_t end_ts) const;

  // Makes every key indexed before the call durable. Returns the sticky error if there is one,
  // else the sync's error (which then becomes sticky).
  Status Flush();

  // The commit-log offset of the last indexed record (0 when nothing is indexed): where
  // re-dispatch may start skipping.
  int64_t LastIndexedPhyOffset() const;
  // The store timestamp of the last indexed record (0 when nothing is indexed). A value read
  // before a successful Flush is covered by it: RocketMQ's checkpoint indexMsgTimestamp.
  int64_t LastIndexedTimestamp() const;

  // "topic#key", the string an index entry is hashed from.
  static std::string BuildKey(std::string_view topic, std::string_view key);

 private:
  struct IndexFileEntry {
    std::shared_ptr<IndexFile> file;
    bool dirty = false;  // written since it was last picked for a sync
  };

  // The record's UNIQ_KEY and KEYS under topic.
  Status PutKeysLocked(std::string_view topic, const DispatchRequest& req);
  Status PutKeyLocked(std::string_view key, const DispatchRequest& req);
  Status RollLocked();
  std::string NewFileNameLocked() const;

  // Constant after construction.
  FileSystem* const fs_;
  const std::string index_dir_;
  const int32_t hash_slot_num_;
  const int32_t index_num_;

  mutable std::shared_mutex mu_;
  // Protected by mu_: oldest first; only the last one is written.
  std::vector<IndexFileEntry> files_;
  Status bg_error_;

  std::mutex flush_mu_;  // serialises Flush
};

}  // namespace holdfast::store
