// The message store: commit log, consume queues, index and checkpoint under one root directory
// (RocketMQ's DefaultMessageStore). This is the interface the broker uses.
//
// Lifecycle: Open() loads and recovers, then starts the services; Shutdown() (or the destructor)
// flushes everything, writes the checkpoint and removes the abort marker. A store that was not
// shut down (crash, kill -9, power loss) is recovered by the next Open() from its checkpoint.
//
// What results promise: see CommitLog::PutMessages and docs/durability.md. A message becomes
// visible to GetMessage once dispatched, which under SYNC_FLUSH is only after it is durable.
//
// Threads (all owned here): ReputMessageService, FlushConsumeQueueService, and the commit log's
// FlushRealTimeService and AllocateMappedFileService. Every public method may be called from any
// thread except Shutdown, which the owner calls once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/message.h"
#include "common/status.h"
#include "store/commit_log.h"
#include "store/consume_queue.h"
#include "store/file_system.h"
#include "store/flush_consume_queue_service.h"
#include "store/get_message_result.h"
#include "store/index_service.h"
#include "store/message_store_config.h"
#include "store/put_message_result.h"
#include "store/reput_message_service.h"
#include "store/schedule/delay_level_table.h"
#include "store/store_checkpoint.h"

namespace holdfast::store {

// How the last Open() found and left the store.
struct RecoveryInfo {
  bool abnormal = false;          // the abort marker was present: the last run did not shut down
  bool checkpoint_valid = false;  // the checkpoint page passed its CRC
  int64_t start_offset = 0;       // commit-log offset validation started from
  int64_t max_offset = 0;         // end of the log after recovery
  int64_t scanned_bytes = 0;
  int64_t redispatched_records = 0;
  bool truncated = false;
  std::string truncation_reason;
  double seconds = 0;  // wall time of Open()
};

// Told about each message that became visible to GetMessage (RocketMQ's MessageArrivingListener,
// used by the broker's long polling): `max_offset` is the queue's new max offset (the message's
// queue offset + 1), `tags_code` and `store_timestamp` are the message's. Only messages that get a
// consume-queue entry are reported (not prepared or rolled-back transaction records), and only
// those dispatched by the reput service after Open() returned, not the ones recovery re-dispatches.
// It runs on the ReputMessage thread, in commit-log order, after the entry is written: it must be
// quick and must not block (hand work to another thread) and must not call Shutdown().
using MessageArrivingListener =
    std::function<void(std::string_view topic, int32_t queue_id, int64_t max_offset,
                       int64_t tags_code, int64_t store_timestamp)>;

class MessageStore {
 public:
  // Opens (creating if needed) the store in config.store_path_root_dir. Fails with Corruption,
  // naming the file and offset, when recovery finds damage it must not silently drop; with
  // InvalidArgument for a bad config.
  static Result<std::unique_ptr<MessageStore>> Open(const MessageStoreConfig& config,
                                                    FileSystem* fs = FileSystem::Default());
  ~MessageStore();
  MessageStore(const MessageStore&) = delete;
  MessageStore& operator=(const MessageStore&) = delete;

  // Clean shutdown; later calls to Put* return SERVICE_NOT_AVAILABLE. Idempotent.
  Status Shutdown();

  // Makes everything appended so far durable (fdatasync), whatever the flush mode.
  Status Flush() { return commit_log_->Flush(); }

  // Appends one message. The WAIT property "false" skips the SYNC_FLUSH wait.
  PutMessageResult PutMessage(MessageExt msg);
  // Appends messages as consecutive records, all or none (a batch). The WAIT of the first applies.
  PutMessageResult PutMessages(std::vector<MessageExt> msgs);

  // Non-blocking forms for the broker: `done` receives the result once it is known, possibly on a
  // store thread (keep it short; do not call back into the store from it).
  void PutMessageAsync(MessageExt msg, std::function<void(PutMessageResult)> done);
  void PutMessagesAsync(std::vector<MessageExt> msgs, std::function<void(PutMessageResult)> done);

  // Up to max_num consume-queue entries of topic/queue_id from `offset` (see
  // ConsumeQueue::GetEntries); none when the queue does not exist. For the schedule service,
  // which reads a delayed message's delivery time from its tags code.
  Result<std::vector<ConsumeQueue::Entry>> GetQueueEntries(std::string_view topic, int32_t queue_id,
                                                           int64_t offset, int32_t max_num) const;

  // Reads up to max_msg_nums messages of topic/queue_id from queue offset `offset`, at most
  // max_total_bytes of records (at least one if any matches). `tags_filter`, when non-empty,
  // keeps only entries whose tags code is in it. When the entry at `offset`, or the record of the
  // first message to return, cannot be read or is not valid, the answer is READ_ERROR with the
  // cause and next_begin_offset == offset; a failure after some messages were read ends the
  // answer before the failing one. A failure never moves next_begin_offset past a message.
  GetMessageResult GetMessage(std::string_view topic, int32_t queue_id, int64_t offset,
                              int32_t max_msg_nums, int64_t max_total_bytes = 256 * 1024,
                              const std::vector<int64_t>& tags_filter = {});

  // The message whose record starts at commit-log offset.
  Result<MessageExt> LookMessageByOffset(int64_t commit_log_offset) const;
  // The same record byte for byte (the QUERY_MESSAGE / VIEW_MESSAGE_BY_ID body format). NotFound
  // when no record starts there, Corruption when its body CRC does not match.
  Result<std::string> LookStoredRecordByOffset(int64_t commit_log_offset) const;
  // Messages of topic with `key` as a KEYS entry or as UNIQ_KEY, newest first, stored in
  // [begin, end] (ms). Only messages whose record really has the key are returned. A delayed or
  // timer message waiting in its system topic is found under its REAL_TOPIC too (so a delivered
  // one may be found twice: waiting and delivered, with the same UNIQ_KEY).
  std::vector<MessageExt> QueryMessage(std::string_view topic, std::string_view key, int max_num,
                                       int64_t begin = 0, int64_t end = INT64_MAX) const;

  // Where the index stands (RocketMQ's QueryMessageResult indexLastUpdateTimestamp and
  // indexLastUpdatePhyoffset): the store time and commit-log offset of the last indexed record;
  // 0 and 0 when nothing is indexed or messageIndexEnable is off.
  struct IndexPosition {
    int64_t last_update_timestamp = 0;
    int64_t last_update_phy_offset = 0;
  };
  IndexPosition GetIndexPosition() const;

  // Deletes every consume queue of each topic (its files and directories) and forgets the
  // topics' next queue offsets, so a topic created again with the same name starts at offset 0
  // (RocketMQ's cleanUnusedTopic, for the named topics). The records stay in the commit log until
  // its files are removed, and the index may still find them by key. Ok when a topic has no
  // queue; an I/O error names the path (the queues are forgotten in memory either way). A message
  // of a deleted topic dispatched meanwhile creates its queue again, as in RocketMQ.
  Status DeleteTopics(const std::vector<std::string>& topics);

  int64_t GetMaxOffsetInQueue(std::string_view topic, int32_t queue_id) const;
  int64_t GetMinOffsetInQueue(std::string_view topic, int32_t queue_id) const;
  // The first queue offset whose message was stored at or after timestamp (ms); the max offset
  // when none is. When a read fails on the way, an offset at or before that answer.
  int64_t GetOffsetInQueueByTime(std::string_view topic, int32_t queue_id, int64_t timestamp) const;
  // Commit-log offset of the message at a queue offset, or -1 (also when it cannot be read).
  int64_t GetCommitLogOffsetInQueue(std::string_view topic, int32_t queue_id, int64_t offset) const;

  int64_t GetMinPhyOffset() const { return commit_log_->MinOffset(); }
  int64_t GetMaxPhyOffset() const { return commit_log_->MaxOffset(); }
  int64_t GetFlushedPhyOffset() const { return commit_log_->FlushedOffset(); }
  int64_t GetDispatchedPhyOffset() const { return reput_->Offset(); }
  // Waits until everything appended so far is dispatched (visible to GetMessage); false on timeout.
  bool WaitForDispatch(std::chrono::milliseconds timeout) const;

  // Replaces the listener (an empty function removes it). Thread-safe; once it returns, later
  // arrivals go to the new listener. A call running at that moment may still finish on the old one.
  void SetMessageArrivingListener(MessageArrivingListener listener);

  // The first failure that stopped part of the store from making data durable, or ok; sticky
  // until the store is reopened. A failed commit-log sync or write (every later Put* fails) comes
  // first; then a failed consume-queue or index flush, after which appends go on but the
  // checkpoint keeps consume-queue (or index) progress where it was, so the next Open() rebuilds
  // those entries from the commit log. Any thread.
  Status StickyError() const;

  const RecoveryInfo& recovery_info() const { return recovery_; }
  const MessageStoreConfig& config() const { return config_; }
  // The parsed messageDelayLevel.
  const schedule::DelayLevelTable& delay_levels() const { return delay_levels_; }

 private:
  MessageStore(const MessageStoreConfig& config, FileSystem* fs);

  // Sends a delayed or timer message to its waiting topic (src/store/schedule, src/store/timer);
  // the refusal to answer instead when one is malformed or not allowed.
  std::optional<PutMessageResult> RouteScheduledMessages(std::vector<MessageExt>* msgs) const;
  Status Recover();
  Status LoadConsumeQueues();
  Status Dispatch(const DispatchRequest& req);
  // Dispatch, then the arriving listener (the reput service's path).
  Status DispatchAndNotify(const DispatchRequest& req);
  // Flushes consume queues and index and writes the checkpoint. The checkpoint's logics (index)
  // offset only advances while every consume-queue (index) flush has succeeded since Open().
  Status FlushRound();
  // Keeps `s` as the sticky *error unless there is one; returns the sticky one. (The flush service
  // logs what the round returns.)
  Status NoteFlushError(Status s, Status* error);
  int64_t DispatchLimit() const;
  std::shared_ptr<ConsumeQueue> FindConsumeQueue(std::string_view topic, int32_t queue_id) const;
  Result<std::shared_ptr<ConsumeQueue>> FindOrCreateConsumeQueue(std::string_view topic,
                                                                 int32_t queue_id);
  std::vector<std::shared_ptr<ConsumeQueue>> AllConsumeQueues() const;
  std::string AbortFilePath() const { return config_.store_path_root_dir + "/abort"; }

  // Constant after Open().
  const MessageStoreConfig config_;
  FileSystem* const fs_;
  schedule::DelayLevelTable delay_levels_;
  std::unique_ptr<StoreCheckpoint> checkpoint_;  // used by the flush round only
  std::unique_ptr<CommitLog> commit_log_;
  std::unique_ptr<IndexService> index_;  // null when messageIndexEnable is false
  std::unique_ptr<ReputMessageService> reput_;
  std::unique_ptr<FlushConsumeQueueService> flush_cq_;
  RecoveryInfo recovery_;

  mutable std::shared_mutex cq_mu_;
  // "topic" -> queue id -> queue; guarded by cq_mu_ (the queues themselves are thread-safe).
  std::unordered_map<std::string, std::unordered_map<int32_t, std::shared_ptr<ConsumeQueue>>>
      consume_queues_;

  mutable std::mutex listener_mu_;
  std::shared_ptr<const MessageArrivingListener> arriving_listener_;  // guarded by listener_mu_

  // The flush round's (FlushConsumeQ thread; Open and Shutdown around it): what the last
  // checkpoint written covers, so an idle store does no I/O.
  int64_t round_physic_ = -1;
  int64_t round_dispatched_ = -1;

  mutable std::mutex error_mu_;
  Status logics_error_;  // guarded by error_mu_: the first failed consume-queue flush
  Status index_error_;   // guarded by error_mu_: the first failed index flush

  std::mutex shutdown_mu_;
  bool shut_down_ = false;  // guarded by shutdown_mu_
};

}  // namespace holdfast::store
