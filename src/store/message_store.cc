#include "store/message_store.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <mutex>

#include "common/byte_order.h"
#include "common/clock.h"
#include "common/message_codec.h"
#include "store/schedule/schedule_routing.h"
#include "store/timer/timer_routing.h"

namespace holdfast::store {

namespace {

Status ValidateConfig(const MessageStoreConfig& c) {
  if (c.store_path_root_dir.empty()) return Status::InvalidArgument("storePathRootDir is empty");
  if (c.mapped_file_size_commit_log < 4096) {
    return Status::InvalidArgument(
        fmt::format("mappedFileSizeCommitLog {} is below 4096", c.mapped_file_size_commit_log));
  }
  if (c.mapped_file_size_consume_queue < kConsumeQueueUnitSize ||
      c.mapped_file_size_consume_queue % kConsumeQueueUnitSize != 0) {
    return Status::InvalidArgument(
        fmt::format("mappedFileSizeConsumeQueue {} is not a positive multiple of {}",
                    c.mapped_file_size_consume_queue, kConsumeQueueUnitSize));
  }
  if (c.max_message_size <= 0 || c.max_message_size >= c.mapped_file_size_commit_log) {
    return Status::InvalidArgument(
        fmt::format("maxMessageSize {} must be positive and below mappedFileSizeCommitLog {}",
                    c.max_message_size, c.mapped_file_size_commit_log));
  }
  if (c.sync_flush_timeout <= 0 || c.flush_interval_commit_log <= 0 ||
      c.flush_interval_consume_queue <= 0) {
    return Status::InvalidArgument(
        "syncFlushTimeout, flushIntervalCommitLog and flushIntervalConsumeQueue must be positive");
  }
  if (c.message_index_enable && (c.max_hash_slot_num <= 0 || c.max_index_num <= 1)) {
    return Status::InvalidArgument("maxHashSlotNum must be positive and maxIndexNum above 1");
  }
  if (auto levels = schedule::DelayLevelTable::Parse(c.message_delay_level); !levels.ok()) {
    return levels.status();
  }
  if (c.flush_delay_offset_interval <= 0) {
    return Status::InvalidArgument(
        fmt::format("flushDelayOffsetInterval {} must be positive", c.flush_delay_offset_interval));
  }
  return Status::Ok();
}

// The answer to a put the routing step refused.
PutMessageResult Illegal(const Status& why) {
  PutMessageResult r;
  r.status = PutMessageStatus::kMessageIllegal;
  r.error = why.message();
  return r;
}

bool ShouldWait(const std::vector<MessageExt>& msgs) {
  auto wait = FindProperty(msgs.front().properties, property::kWaitStoreMsgOk);
  return !(wait && *wait == "false");
}

}  // namespace

MessageStore::MessageStore(const MessageStoreConfig& config, FileSystem* fs)
    : config_(config),
      fs_(fs),
      delay_levels_(schedule::DelayLevelTable::Parse(config.message_delay_level).value()) {}

Result<std::unique_ptr<MessageStore>> MessageStore::Open(const MessageStoreConfig& config,
                                                         FileSystem* fs) {
  HOLDFAST_RETURN_IF_ERROR(ValidateConfig(config));
  auto started = std::chrono::steady_clock::now();
  std::unique_ptr<MessageStore> store(new MessageStore(config, fs));
  HOLDFAST_RETURN_IF_ERROR(store->Recover());
  store->recovery_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return store;
}

MessageStore::~MessageStore() {
  // Only logged: a destructor cannot return it (call Shutdown() to see it). After a failure the
  // abort marker stays, so the next Open() recovers.
  Status s = Shutdown();
  if (!s.ok()) spdlog::error("store shutdown: {}", s.ToString());
}

Status MessageStore::Recover() {
  const std::string& root = config_.store_path_root_dir;
  HOLDFAST_RETURN_IF_ERROR(fs_->CreateDirs(root));
  recovery_.abnormal = fs_->Exists(AbortFilePath());

  auto checkpoint = StoreCheckpoint::Open(fs_, root + "/checkpoint");
  if (!checkpoint.ok()) return checkpoint.status();
  checkpoint_ = std::move(checkpoint).value();
  recovery_.checkpoint_valid = checkpoint_->valid();

  commit_log_ = std::make_unique<CommitLog>(config_, fs_);
  HOLDFAST_RETURN_IF_ERROR(commit_log_->Load());
  HOLDFAST_RETURN_IF_ERROR(LoadConsumeQueues());
  if (config_.message_index_enable) {
    index_ = std::make_unique<IndexService>(fs_, root + "/index", config_.max_hash_slot_num,
                                            config_.max_index_num);
    HOLDFAST_RETURN_IF_ERROR(index_->Load());
  }

  // Every record below `from` has durable consume-queue and index entries and durable bytes;
  // everything from there on is validated and dispatched again.
  int64_t from = 0;
  int64_t durable = 0;
  if (checkpoint_->valid()) {
    durable = checkpoint_->physic_flushed_offset;
    from = std::min(checkpoint_->logics_flushed_offset, durable);
    if (index_) from = std::min(from, checkpoint_->index_flushed_offset);
  } else if (recovery_.abnormal || !commit_log_->files().empty()) {
    spdlog::warn("store {}: checkpoint missing or torn; validating the whole commit log", root);
  }
  if (recovery_.abnormal) {
    spdlog::warn("store {}: the last run did not shut down cleanly; recovering from offset {}",
                 root, from);
  }
  recovery_.start_offset = from;
  auto recovered =
      commit_log_->Recover(from, durable, [this](const DispatchRequest& r) { return Dispatch(r); });
  if (!recovered.ok()) return recovered.status();
  recovery_.max_offset = recovered->max_offset;
  recovery_.scanned_bytes = recovered->scanned_bytes;
  recovery_.redispatched_records = recovered->records;
  recovery_.truncated = recovered->truncated;
  recovery_.truncation_reason = recovered->truncation_reason;

  std::unordered_map<std::string, int64_t> table;
  for (const auto& cq : AllConsumeQueues()) {
    HOLDFAST_RETURN_IF_ERROR(cq->TruncateDirty(recovered->max_offset));
    table[fmt::format("{}-{}", cq->topic(), cq->queue_id())] = cq->MaxOffset();
  }
  commit_log_->SetTopicQueueTable(std::move(table));

  // Everything recovered is dispatched and synced: record it before accepting writes.
  HOLDFAST_RETURN_IF_ERROR(FlushRound());

  {
    auto abort_file = fs_->Open(AbortFilePath(), true);
    if (!abort_file.ok()) return abort_file.status();
    HOLDFAST_RETURN_IF_ERROR((*abort_file)->Sync());
    HOLDFAST_RETURN_IF_ERROR(fs_->SyncDir(root));
  }

  bool sync = config_.flush_disk_type == FlushDiskType::kSyncFlush;
  // Under SYNC_FLUSH new records arrive once per group commit, and each flush wakes the reput
  // service; under ASYNC_FLUSH they stream in, and a short spin saves a wake-up per append.
  reput_ = std::make_unique<ReputMessageService>(
      &commit_log_->files(), [this] { return DispatchLimit(); },
      [this](const DispatchRequest& r) { return DispatchAndNotify(r); }, recovered->max_offset,
      std::chrono::microseconds(sync ? 0 : 50));
  commit_log_->SetListeners(
      [this, sync](int64_t) {
        if (!sync) reput_->Wakeup();
      },
      [this, sync](int64_t) {
        if (sync) reput_->Wakeup();
      });
  flush_cq_ = std::make_unique<FlushConsumeQueueService>(
      std::chrono::milliseconds(config_.flush_interval_consume_queue),
      [this] { return FlushRound(); });
  commit_log_->Start();
  reput_->Start();
  flush_cq_->Start();
  spdlog::info("store {} open: commit log {}..{}, {} consume queues, recovery scanned {} bytes",
               root, commit_log_->MinOffset(), commit_log_->MaxOffset(), AllConsumeQueues().size(),
               recovery_.scanned_bytes);
  return Status::Ok();
}

Status MessageStore::LoadConsumeQueues() {
  std::string dir = config_.store_path_root_dir + "/consumequeue";
  HOLDFAST_RETURN_IF_ERROR(fs_->CreateDirs(dir));
  auto topics = fs_->ListDir(dir);
  if (!topics.ok()) return topics.status();
  for (const std::string& topic : *topics) {
    auto queues = fs_->ListDir(dir + "/" + topic);
    if (!queues.ok()) {
      // A stray file is no topic; any other failure would hide the topic's queues.
      if (queues.status().code() == Status::Code::kInvalidArgument) continue;
      return queues.status();
    }
    for (const std::string& name : *queues) {
      int32_t queue_id = -1;
      auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), queue_id);
      if (ec != std::errc() || end != name.data() + name.size() || queue_id < 0) {
        spdlog::warn("ignoring {}/{}/{}: not a queue id", dir, topic, name);
        continue;
      }
      auto cq = std::make_shared<ConsumeQueue>(fs_, config_.store_path_root_dir, topic, queue_id,
                                               config_.mapped_file_size_consume_queue);
      HOLDFAST_RETURN_IF_ERROR(cq->Load());
      consume_queues_[topic][queue_id] = std::move(cq);
    }
  }
  return Status::Ok();
}

Status MessageStore::Shutdown() {
  {
    std::lock_guard lock(shutdown_mu_);
    if (shut_down_ || !reput_) return Status::Ok();
    shut_down_ = true;
  }
  Status result = commit_log_->Shutdown();
  reput_->Shutdown();     // dispatches the rest
  flush_cq_->Shutdown();  // final flush round and checkpoint
  if (result.ok() && reput_->Offset() < commit_log_->MaxOffset()) {
    result = Status::IoError(fmt::format("could not dispatch commit log {}..{} before shutdown",
                                         reput_->Offset(), commit_log_->MaxOffset()));
  }
  if (result.ok()) result = FlushRound();
  if (result.ok()) {
    result = fs_->Remove(AbortFilePath());
    if (result.ok()) result = fs_->SyncDir(config_.store_path_root_dir);
  }
  if (!result.ok()) {
    spdlog::error("store {}: unclean shutdown, the next start will recover: {}",
                  config_.store_path_root_dir, result.ToString());
  }
  return result;
}

int64_t MessageStore::DispatchLimit() const {
  return config_.flush_disk_type == FlushDiskType::kSyncFlush ? commit_log_->FlushedOffset()
                                                              : commit_log_->MaxOffset();
}

Status MessageStore::Dispatch(const DispatchRequest& req) {
  int32_t tx = sysflag::TransactionValue(req.sys_flag);
  if (tx == sysflag::kTransactionNotType || tx == sysflag::kTransactionCommitType) {
    auto cq = FindOrCreateConsumeQueue(req.topic, req.queue_id);
    if (!cq.ok()) return cq.status();
    // A delayed message's tags code is when it is due (docs/protocol.md §8.2).
    const int64_t tags_code =
        req.topic == schedule::kScheduleTopic
            ? delay_levels_.DeliverTimestamp(req.delay_level, req.store_timestamp)
            : req.tags_code;
    HOLDFAST_RETURN_IF_ERROR((*cq)->PutEntry(req.consume_queue_offset,
                                             {req.commit_log_offset, req.msg_size, tags_code}));
  }
  if (index_) HOLDFAST_RETURN_IF_ERROR(index_->BuildIndex(req));
  return Status::Ok();
}

Status MessageStore::DispatchAndNotify(const DispatchRequest& req) {
  HOLDFAST_RETURN_IF_ERROR(Dispatch(req));
  int32_t tx = sysflag::TransactionValue(req.sys_flag);
  if (tx != sysflag::kTransactionNotType && tx != sysflag::kTransactionCommitType) {
    return Status::Ok();
  }
  std::shared_ptr<const MessageArrivingListener> listener;
  {
    std::lock_guard lock(listener_mu_);
    listener = arriving_listener_;
  }
  if (listener) {
    (*listener)(req.topic, req.queue_id, req.consume_queue_offset + 1, req.tags_code,
                req.store_timestamp);
  }
  return Status::Ok();
}

void MessageStore::SetMessageArrivingListener(MessageArrivingListener listener) {
  std::shared_ptr<const MessageArrivingListener> next;
  if (listener) next = std::make_shared<const MessageArrivingListener>(std::move(listener));
  std::lock_guard lock(listener_mu_);
  arriving_listener_ = std::move(next);
}

Status MessageStore::FlushRound() {
  // Offsets first: whatever is flushed below is at least this far.
  const int64_t physic = commit_log_->FlushedOffset();
  const int64_t dispatched = reput_ ? reput_->Offset() : commit_log_->MaxOffset();
  Status logics;
  Status index;
  {
    std::lock_guard lock(error_mu_);
    logics = logics_error_;
    index = index_error_;
  }
  if (physic == round_physic_ && dispatched == round_dispatched_) {
    return logics.ok() ? index : logics;  // nothing new: an idle store does no I/O
  }
  // Every queue, also after one failed: the others' files are then as durable as they can be.
  for (const auto& cq : AllConsumeQueues()) {
    if (Status s = cq->Flush(); !s.ok() && logics.ok()) logics = NoteFlushError(s, &logics_error_);
  }
  if (index_ && index.ok()) {
    if (Status s = index_->Flush(); !s.ok()) index = NoteFlushError(s, &index_error_);
  }
  // After a failed consume-queue (index) flush the kernel may have dropped entries it could not
  // write, and a later sync that succeeds does not bring them back: that part of the checkpoint
  // stays where it was, so recovery writes those entries again. The commit log's part is its own.
  const int64_t now = NowMillis();
  checkpoint_->physic_flushed_offset = physic;
  checkpoint_->physic_msg_timestamp = now;
  if (logics.ok()) {
    checkpoint_->logics_flushed_offset = dispatched;
    checkpoint_->logics_msg_timestamp = now;
  }
  if (index.ok()) {
    checkpoint_->index_flushed_offset = dispatched;
    checkpoint_->index_msg_timestamp = now;
  }
  // The whole page is written again every round, so a failed write or sync of it leaves nothing
  // that a later successful one would not cover; it is retried next round.
  HOLDFAST_RETURN_IF_ERROR(checkpoint_->Flush());
  round_physic_ = physic;
  round_dispatched_ = dispatched;
  return logics.ok() ? index : logics;
}

Status MessageStore::NoteFlushError(Status s, Status* error) {
  std::lock_guard lock(error_mu_);
  if (error->ok()) *error = std::move(s);
  return *error;
}

Status MessageStore::StickyError() const {
  if (Status s = commit_log_->StickyError(); !s.ok()) return s;
  std::lock_guard lock(error_mu_);
  return logics_error_.ok() ? index_error_ : logics_error_;
}

std::shared_ptr<ConsumeQueue> MessageStore::FindConsumeQueue(std::string_view topic,
                                                             int32_t queue_id) const {
  std::shared_lock lock(cq_mu_);
  auto t = consume_queues_.find(std::string(topic));
  if (t == consume_queues_.end()) return nullptr;
  auto q = t->second.find(queue_id);
  return q == t->second.end() ? nullptr : q->second;
}

Result<std::shared_ptr<ConsumeQueue>> MessageStore::FindOrCreateConsumeQueue(std::string_view topic,
                                                                             int32_t queue_id) {
  if (auto cq = FindConsumeQueue(topic, queue_id)) return cq;
  std::unique_lock lock(cq_mu_);
  auto& slot = consume_queues_[std::string(topic)][queue_id];
  if (!slot) {
    auto cq = std::make_shared<ConsumeQueue>(fs_, config_.store_path_root_dir, std::string(topic),
                                             queue_id, config_.mapped_file_size_consume_queue);
    Status s = cq->Load();
    if (!s.ok()) {
      consume_queues_[std::string(topic)].erase(queue_id);
      return s;
    }
    slot = std::move(cq);
  }
  return slot;
}

std::vector<std::shared_ptr<ConsumeQueue>> MessageStore::AllConsumeQueues() const {
  std::shared_lock lock(cq_mu_);
  std::vector<std::shared_ptr<ConsumeQueue>> all;
  for (const auto& [topic, queues] : consume_queues_) {
    for (const auto& [id, cq] : queues) all.push_back(cq);
  }
  return all;
}

std::optional<PutMessageResult> MessageStore::RouteScheduledMessages(
    std::vector<MessageExt>* msgs) const {
  // Delay levels first: a DELAY level wins over timer properties, which the delay routing drops.
  if (Status s = schedule::RouteDelayedMessages(delay_levels_, *msgs); !s.ok()) return Illegal(s);
  return timer::RouteTimerMessages(msgs, config_, NowMillis());
}

PutMessageResult MessageStore::PutMessage(MessageExt msg) {
  std::vector<MessageExt> msgs;
  msgs.push_back(std::move(msg));
  return PutMessages(std::move(msgs));
}

PutMessageResult MessageStore::PutMessages(std::vector<MessageExt> msgs) {
  if (msgs.empty()) {
    PutMessageResult r;
    r.status = PutMessageStatus::kMessageIllegal;
    r.error = "no message to put";
    return r;
  }
  if (auto refused = RouteScheduledMessages(&msgs)) return *refused;
  bool wait = ShouldWait(msgs);
  return commit_log_->PutMessages(msgs, wait);
}

void MessageStore::PutMessageAsync(MessageExt msg, std::function<void(PutMessageResult)> done) {
  std::vector<MessageExt> msgs;
  msgs.push_back(std::move(msg));
  PutMessagesAsync(std::move(msgs), std::move(done));
}

void MessageStore::PutMessagesAsync(std::vector<MessageExt> msgs,
                                    std::function<void(PutMessageResult)> done) {
  if (msgs.empty()) {
    PutMessageResult r;
    r.status = PutMessageStatus::kMessageIllegal;
    r.error = "no message to put";
    done(std::move(r));
    return;
  }
  if (auto refused = RouteScheduledMessages(&msgs)) {
    done(std::move(*refused));
    return;
  }
  commit_log_->PutMessagesAsync(msgs, ShouldWait(msgs), std::move(done));
}

GetMessageResult MessageStore::GetMessage(std::string_view topic, int32_t queue_id, int64_t offset,
                                          int32_t max_msg_nums, int64_t max_total_bytes,
                                          const std::vector<int64_t>& tags_filter) {
  GetMessageResult r;
  auto cq = FindConsumeQueue(topic, queue_id);
  if (!cq) {
    r.status = GetMessageStatus::kNoMatchedLogicQueue;
    return r;
  }
  r.min_offset = cq->MinOffset();
  r.max_offset = cq->MaxOffset();
  if (r.max_offset == 0) {
    r.status = GetMessageStatus::kNoMessageInQueue;
    return r;
  }
  if (offset < r.min_offset) {
    r.status = GetMessageStatus::kOffsetTooSmall;
    r.next_begin_offset = r.min_offset;
    return r;
  }
  if (offset == r.max_offset) {
    r.status = GetMessageStatus::kOffsetOverflowOne;
    r.next_begin_offset = offset;
    return r;
  }
  if (offset > r.max_offset) {
    r.status = GetMessageStatus::kOffsetOverflowBadly;
    r.next_begin_offset = r.max_offset;
    return r;
  }
  int scan = tags_filter.empty() ? std::max(1, max_msg_nums) : std::max(max_msg_nums, 800);
  // A read that fails answers READ_ERROR at `offset`: the consumer asks again later rather than
  // moving past entries nobody could read.
  auto read_error = [&r, offset](Status why) {
    r.status = GetMessageStatus::kReadError;
    r.next_begin_offset = offset;
    r.error = std::move(why);
    r.messages.clear();
    r.queue_offsets.clear();
    r.buffer_total_size = 0;
    return r;
  };
  auto entries = cq->GetEntries(offset, scan);
  if (!entries.ok()) return read_error(entries.status());
  r.status = GetMessageStatus::kNoMatchedMessage;
  r.next_begin_offset = offset + static_cast<int64_t>(entries->size());
  int64_t min_phy = commit_log_->MinOffset();
  int64_t max_phy = commit_log_->MaxOffset();
  for (size_t i = 0; i < entries->size(); ++i) {
    const ConsumeQueue::Entry& e = (*entries)[i];
    int64_t queue_offset = offset + static_cast<int64_t>(i);
    if (e.commit_log_offset < min_phy) {
      r.status = GetMessageStatus::kMessageWasRemoving;
      continue;
    }
    if (!tags_filter.empty() &&
        std::find(tags_filter.begin(), tags_filter.end(), e.tags_code) == tags_filter.end()) {
      continue;
    }
    if (static_cast<int32_t>(r.messages.size()) >= max_msg_nums ||
        (!r.messages.empty() && r.buffer_total_size + e.size > max_total_bytes)) {
      r.next_begin_offset = queue_offset;
      break;
    }
    // Past the end of the log, or a record of another size there: the entry is not one this log
    // wrote (its bytes were lost or damaged).
    Status s =
        e.commit_log_offset + e.size <= max_phy
            ? Status::Ok()
            : Status::Corruption(fmt::format("it points past the commit log's end {}", max_phy));
    std::string record(static_cast<size_t>(e.size), '\0');
    if (s.ok()) s = commit_log_->Read(e.commit_log_offset, record.size(), record.data());
    if (s.ok() && (record.size() < 4 || GetInt32(record.data()) != e.size)) {
      s = Status::Corruption(fmt::format("the record there is {} bytes, not {}",
                                         record.size() < 4 ? 0 : GetInt32(record.data()), e.size));
    }
    if (!s.ok()) {
      Status why =
          s.code() == Status::Code::kCorruption
              ? Status::Corruption(
                    fmt::format("message {}-{}@{} at commit-log offset {} ({} bytes): {}", topic,
                                queue_id, queue_offset, e.commit_log_offset, e.size, s.message()))
              : Status::IoError(fmt::format(
                    "reading message {}-{}@{} at commit-log offset {} ({} bytes): {}", topic,
                    queue_id, queue_offset, e.commit_log_offset, e.size, s.ToString()));
      // What was read before it is good; the failing message comes first in the next read.
      if (r.messages.empty()) return read_error(std::move(why));
      r.next_begin_offset = queue_offset;
      break;
    }
    r.buffer_total_size += e.size;
    r.messages.push_back(std::move(record));
    r.queue_offsets.push_back(queue_offset);
  }
  if (!r.messages.empty()) r.status = GetMessageStatus::kFound;
  return r;
}

Result<MessageExt> MessageStore::LookMessageByOffset(int64_t commit_log_offset) const {
  return commit_log_->ReadMessage(commit_log_offset);
}

Result<std::string> MessageStore::LookStoredRecordByOffset(int64_t commit_log_offset) const {
  return commit_log_->ReadRecord(commit_log_offset);
}

MessageStore::IndexPosition MessageStore::GetIndexPosition() const {
  IndexPosition position;
  if (index_) {
    position.last_update_timestamp = index_->LastIndexedTimestamp();
    position.last_update_phy_offset = index_->LastIndexedPhyOffset();
  }
  return position;
}

Status MessageStore::DeleteTopics(const std::vector<std::string>& topics) {
  std::vector<std::shared_ptr<ConsumeQueue>> removed;
  {
    std::unique_lock lock(cq_mu_);
    for (const std::string& topic : topics) {
      auto it = consume_queues_.find(topic);
      if (it == consume_queues_.end()) continue;
      for (auto& [queue_id, cq] : it->second) removed.push_back(std::move(cq));
      consume_queues_.erase(it);
    }
  }
  Status result;
  auto note = [&result](Status s) {
    if (result.ok() && !s.ok()) result = std::move(s);
  };
  const std::string cq_dir = config_.store_path_root_dir + "/consumequeue";
  for (const auto& cq : removed) {
    commit_log_->RemoveQueueFromTopicQueueTable(cq->topic(), cq->queue_id());
    const std::string dir = fmt::format("{}/{}/{}", cq_dir, cq->topic(), cq->queue_id());
    auto files = fs_->ListDir(dir);
    if (files.ok()) {
      for (const std::string& name : *files) note(fs_->Remove(dir + "/" + name));
    }
    note(fs_->Remove(dir));
  }
  for (const std::string& topic : topics) {
    const std::string dir = cq_dir + "/" + topic;
    if (fs_->Exists(dir)) note(fs_->Remove(dir));
  }
  if (!removed.empty()) note(fs_->SyncDir(cq_dir));
  spdlog::info("store {}: deleted {} consume queues of {} topics", config_.store_path_root_dir,
               removed.size(), topics.size());
  return result;
}

std::vector<MessageExt> MessageStore::QueryMessage(std::string_view topic, std::string_view key,
                                                   int max_num, int64_t begin, int64_t end) const {
  std::vector<MessageExt> found;
  if (!index_ || max_num <= 0) return found;
  for (int64_t offset : index_->QueryOffsets(topic, key, max_num * 4, begin, end)) {
    auto msg = commit_log_->ReadMessage(offset);
    if (!msg.ok()) {
      // A lookup for tools answers what it can read; nothing is consumed or acknowledged on the
      // strength of it. The failure is logged, not hidden.
      spdlog::warn("query of {} key {}: record at commit-log offset {}: {}", topic, key, offset,
                   msg.status().ToString());
      continue;
    }
    if (msg->topic != topic && !(schedule::IsWaitingTopic(msg->topic) &&
                                 FindProperty(msg->properties, property::kRealTopic) == topic)) {
      continue;
    }
    if (msg->store_timestamp < begin || msg->store_timestamp > end) continue;
    bool has_key = FindProperty(msg->properties, property::kUniqClientMessageIdKeyIndex) == key;
    if (!has_key) {
      std::string_view keys = FindProperty(msg->properties, property::kKeys).value_or("");
      while (!keys.empty() && !has_key) {
        size_t sp = keys.find(property::kKeySeparator);
        has_key = keys.substr(0, sp) == key;
        keys = sp == std::string_view::npos ? std::string_view() : keys.substr(sp + 1);
      }
    }
    if (!has_key) continue;
    found.push_back(std::move(msg).value());
    if (static_cast<int>(found.size()) >= max_num) break;
  }
  return found;
}

Result<std::vector<ConsumeQueue::Entry>> MessageStore::GetQueueEntries(std::string_view topic,
                                                                       int32_t queue_id,
                                                                       int64_t offset,
                                                                       int32_t max_num) const {
  auto cq = FindConsumeQueue(topic, queue_id);
  if (!cq) return std::vector<ConsumeQueue::Entry>();
  return cq->GetEntries(offset, max_num);
}

int64_t MessageStore::GetMaxOffsetInQueue(std::string_view topic, int32_t queue_id) const {
  auto cq = FindConsumeQueue(topic, queue_id);
  return cq ? cq->MaxOffset() : 0;
}

int64_t MessageStore::GetMinOffsetInQueue(std::string_view topic, int32_t queue_id) const {
  auto cq = FindConsumeQueue(topic, queue_id);
  return cq ? cq->MinOffset() : 0;
}

int64_t MessageStore::GetCommitLogOffsetInQueue(std::string_view topic, int32_t queue_id,
                                                int64_t offset) const {
  auto cq = FindConsumeQueue(topic, queue_id);
  if (!cq) return -1;
  auto entries = cq->GetEntries(offset, 1);
  // -1 also when the entry cannot be read: callers use this as a hint (is the queue's head still
  // in the page cache, a store time for stats), never to move a consumer past a message.
  if (!entries.ok() || entries->empty()) return -1;
  return entries->front().commit_log_offset;
}

int64_t MessageStore::GetOffsetInQueueByTime(std::string_view topic, int32_t queue_id,
                                             int64_t timestamp) const {
  auto cq = FindConsumeQueue(topic, queue_id);
  if (!cq) return 0;
  int64_t lo = cq->MinOffset();
  int64_t hi = cq->MaxOffset();
  // Store timestamps grow with queue offsets: find the first entry stored at or after timestamp.
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    auto entries = cq->GetEntries(mid, 1);
    char header[80];  // through STORETIMESTAMP with an IPv6 born host
    if (!entries.ok() || entries->empty() ||
        !commit_log_->Read(entries->front().commit_log_offset, sizeof header, header).ok()) {
      // Every entry below lo was read and stored before timestamp: lo is never past the answer,
      // so a consumer started from it sees duplicates at worst, never a gap.
      return lo;
    }
    int64_t stored =
        GetInt64(header + RecordStoreTimestampPos(GetInt32(header + kRecordSysFlagPos)));
    if (stored < timestamp) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

bool MessageStore::WaitForDispatch(std::chrono::milliseconds timeout) const {
  return reput_->WaitForOffset(commit_log_->MaxOffset(), SteadyClock::now() + timeout);
}

}  // namespace holdfast::store
