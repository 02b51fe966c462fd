// The commit log: every message of every topic, appended in arrival order to fixed-size segment
// files (RocketMQ's CommitLog). Consume queues and the index are derived from it.
//
// Appends are serialised by one put lock, held by the appending thread itself while it assigns
// offsets and writes its pre-encoded record. We chose a lock over a single writer thread because a
// lone SYNC_FLUSH appender then pays exactly one write and one fdatasync on its own thread, with
// no hand-off, and because under contention the lock is held only for copying bytes encoded (and
// CRC'ed) outside it. Durability waits happen after the lock is released (GroupCommit).
//
// Under SYNC_FLUSH with prepared (zero-filled) segments, the copy goes into a write buffer, and
// whoever leads the next sync writes the whole buffer with one pwrite before its fdatasync
// (CommitWriteBuffer); an append that does not wait for the flush writes the buffer before it
// returns, so every returned append is in the page cache, as without the buffer. Readers never
// see the buffer: under SYNC_FLUSH nothing reads past the flushed offset but a query for an offset
// no producer has been given yet. The pwrite goes into blocks the zero-fill already wrote and
// synced, so it cannot fail for a full disk (that shows in the zero-fill, under the put lock, and
// fails just that append); any other failure of it is sticky, like a failed fdatasync.
//
// What a result promises (docs/durability.md): PUT_OK under SYNC_FLUSH means fdatasync covered
// the record and every record before it. Under ASYNC_FLUSH it means the record is in the page
// cache and will be flushed within flushIntervalCommitLog. An append whose sync fails gets
// FLUSH_DISK_FAILED, one whose sync is still running at syncFlushTimeout FLUSH_DISK_TIMEOUT. After
// a failed sync or write every later append fails with SERVICE_NOT_AVAILABLE until the store is
// reopened.
//
// Threads: FlushRealTimeService (background flush), GroupCommitService (SYNC_FLUSH: syncs for
// asynchronous appends) and AllocateMappedFileService (next segment), all owned here. PutMessages,
// Read and the offset getters may be called from any thread; Load/Recover/Start/Shutdown from the
// owner only, in that order.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/message.h"
#include "common/status.h"
#include "store/allocate_mapped_file_service.h"
#include "store/dispatch_request.h"
#include "store/file_system.h"
#include "store/flush_real_time_service.h"
#include "store/group_commit.h"
#include "store/group_commit_service.h"
#include "store/mapped_file_queue.h"
#include "store/message_store_config.h"
#include "store/put_message_result.h"

namespace holdfast::store {

class CommitLog {
 public:
  CommitLog(const MessageStoreConfig& config, FileSystem* fs);
  ~CommitLog();

  Status Load();

  struct RecoverResult {
    int64_t max_offset = 0;     // end of the last valid record: where appends continue
    int64_t scanned_bytes = 0;  // bytes validated from the start point
    int64_t records = 0;        // valid records found from the start point
    bool truncated = false;     // a torn tail was cut off
    std::string truncation_reason;
  };
  using DispatchFn = std::function<Status(const DispatchRequest&)>;

  // Validates every record from `from` (a record boundary) on, calling dispatch for each, and
  // cuts the log after the last valid one. A bad record below `durable_offset` (bytes that were
  // synced), or one followed by a valid record, is corruption in the middle: Corruption naming
  // the file and offset, and nothing is cut.
  Result<RecoverResult> Recover(int64_t from, int64_t durable_offset, const DispatchFn& dispatch);

  // The next queue offset of every "topic-queueId" key; set after recovery, before Start.
  void SetTopicQueueTable(std::unordered_map<std::string, int64_t> table);
  // Called after bytes were appended (with the new end) and after a flush (with the new flushed
  // offset); for waking the reput service. Set before Start.
  void SetListeners(std::function<void(int64_t)> on_appended,
                    std::function<void(int64_t)> on_flushed);

  void Start();
  // Stops the services and flushes everything appended.
  Status Shutdown();

  // Appends the messages as consecutive records, all or none, in one segment. Each message's
  // topic, queue_id, body, properties, flags, born fields and store_host are taken as given;
  // queue_offset, commit_log_offset and store_timestamp are assigned (and written back into msgs).
  // `wait_for_flush` applies only under SYNC_FLUSH.
  PutMessageResult PutMessages(std::vector<MessageExt>& msgs, bool wait_for_flush);
  // The same, without blocking: `done` gets the result once it is known, on the caller's thread
  // (failures, ASYNC_FLUSH) or on the thread that completed the covering sync (see GroupCommit).
  void PutMessagesAsync(std::vector<MessageExt>& msgs, bool wait_for_flush,
                        std::function<void(PutMessageResult)> done);

  // Reads n bytes at a commit-log offset; the range must lie in one segment.
  Status Read(int64_t offset, size_t n, char* buf) const;
  // Decodes the record at offset (CRC checked).
  Result<MessageExt> ReadMessage(int64_t offset) const;
  // The record at offset, byte for byte, after the same checks as ReadMessage.
  Result<std::string> ReadRecord(int64_t offset) const;

  // Forgets the next queue offset of topic/queue_id, so its next message gets queue offset 0
  // (used when a topic's consume queues are deleted). Any thread.
  void RemoveQueueFromTopicQueueTable(std::string_view topic, int32_t queue_id);

  int64_t MinOffset() const;
  int64_t MaxOffset() const { return group_commit_.written(); }
  int64_t FlushedOffset() const { return group_commit_.flushed(); }
  const MappedFileQueue& files() const { return files_; }
  // Makes everything appended so far durable.
  Status Flush() { return group_commit_.FlushAll(); }
  // The failed sync or write that stopped appends (sticky until reopen), or ok.
  Status StickyError() const { return group_commit_.error(); }

 private:
  // Writes the records; on success *end_offset is where they end.
  PutMessageResult Append(std::vector<MessageExt>& msgs, int64_t* end_offset);
  bool MustWaitForFlush(bool wait_for_flush) const;
  // Turns the outcome of the wait for an appended result's sync into its status:
  // FLUSH_DISK_TIMEOUT for a sync that did not finish by the deadline, SERVICE_NOT_AVAILABLE when
  // the store shut down first, FLUSH_DISK_FAILED (with the cause) for a sync that failed.
  static void NoteFlushOutcome(const Status& flushed, PutMessageResult* result);
  PutMessageResult Reject(PutMessageStatus status, std::string error) const;
  // Asks the allocator to prepare the segment at start_offset unless it exists.
  void RequestNextSegment(int64_t start_offset);
  // After a flush to `flushed`: lets the page cache drop the log's pages more than
  // commitLogPageCacheWindow below it (on the allocator's thread when there is one).
  void ReleaseCacheBehind(int64_t flushed);
  // Writes `bytes` at `rel` in `file`, or, when buffered_, adds them to the write buffer (they
  // must continue it, or it must be empty). put_mu_ held.
  Status WriteLocked(const std::shared_ptr<MappedFile>& file, int64_t rel, std::string_view bytes);
  // Writes the write buffer out now, before the appends move to the next segment. put_mu_ held.
  Status WriteBufferLocked();
  // For an append that does not wait for the flush: its result once its bytes are in the page
  // cache (the write buffer written out), or the write's failure.
  PutMessageResult WrittenOut(PutMessageResult appended);
  // Writes whatever the write buffer holds to its segment; every byte appended before the call
  // is in the page cache when it returns ok. Failures are made sticky (GroupCommit::Fail).
  Status CommitWriteBuffer();

  const MessageStoreConfig config_;
  FileSystem* const fs_;
  const bool buffered_;  // SYNC_FLUSH with prepared segments: appends go to the write buffer
  MappedFileQueue files_;
  GroupCommit group_commit_;
  std::unique_ptr<AllocateMappedFileService> allocator_;  // null unless warm_mapped_file_enable
  std::unique_ptr<FlushRealTimeService> flush_service_;
  std::unique_ptr<GroupCommitService> group_commit_service_;  // SYNC_FLUSH only
  std::function<void(int64_t)> on_appended_;
  std::function<void(int64_t)> on_flushed_;
  std::atomic<int64_t> cache_release_asked_{0};  // ReleaseCacheBehind asked up to here

  std::mutex put_mu_;
  std::unordered_map<std::string, int64_t> topic_queue_table_;  // guarded by put_mu_
  std::shared_ptr<MappedFile> current_file_;  // guarded by put_mu_: the segment being appended
  bool shut_down_ = false;                    // guarded by put_mu_
  int64_t next_segment_requested_ = -1;       // guarded by put_mu_: asked the allocator for it
  // The write buffer (buffered_ only): bytes appended but not yet written, which belong at
  // buffer_pos_ in buffer_file_.
  std::string write_buffer_;                 // guarded by put_mu_
  std::shared_ptr<MappedFile> buffer_file_;  // guarded by put_mu_
  int64_t buffer_pos_ = 0;                   // guarded by put_mu_
  // Held while a taken buffer is written, so a sync never starts while an earlier commit is still
  // writing bytes it covers. Taken before put_mu_.
  std::mutex commit_mu_;
  std::string committing_;  // guarded by commit_mu_: the taken buffer (its capacity is reused)
};

}  // namespace holdfast::store
