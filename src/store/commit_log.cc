#include "store/commit_log.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>

#include "common/byte_order.h"
#include "common/clock.h"
#include "common/message_codec.h"
#include "common/topic_validator.h"
#include "store/commit_log_reader.h"

namespace holdfast::store {

namespace {

// Cached pages behind the window are let go in steps of at least this size.
constexpr int64_t kReleaseStep = 8 << 20;
// After the last valid record, recovery looks this far for leftover bytes of a torn write.
constexpr int64_t kTailCheckWindow = 8 << 20;

std::string QueueKey(std::string_view topic, int32_t queue_id) {
  return fmt::format("{}-{}", topic, queue_id);
}

bool TakesQueueOffset(int32_t sys_flag) {
  int32_t tx = sysflag::TransactionValue(sys_flag);
  return tx == sysflag::kTransactionNotType || tx == sysflag::kTransactionCommitType;
}

// True when any byte in [pos, pos + window) of file (relative positions) is not zero.
Result<bool> HasBytesAfter(const MappedFile& file, int64_t pos, int64_t window) {
  int64_t end = std::min(file.filled(), pos + window);
  std::string buf;
  for (int64_t at = pos; at < end;) {
    size_t n = static_cast<size_t>(std::min<int64_t>(end - at, 1 << 20));
    buf.resize(n);
    HOLDFAST_RETURN_IF_ERROR(file.Read(at, n, buf.data()));
    if (std::any_of(buf.begin(), buf.end(), [](char c) { return c != 0; })) return true;
    at += static_cast<int64_t>(n);
  }
  return false;
}

}  // namespace

CommitLog::CommitLog(const MessageStoreConfig& config, FileSystem* fs)
    : config_(config),
      fs_(fs),
      buffered_(config.flush_disk_type == FlushDiskType::kSyncFlush &&
                config.warm_mapped_file_enable),
      // ASYNC_FLUSH appends are memory copies into mapped segments; SYNC_FLUSH appends are
      // pwrites, after which fdatasync measured faster (docs/durability.md).
      files_(fs, config.store_path_root_dir + "/commitlog", config.mapped_file_size_commit_log,
             config.flush_disk_type == FlushDiskType::kAsyncFlush
                 ? MappedFile::Access::kMapped
                 : MappedFile::Access::kPositional),
      group_commit_([this](int64_t from, int64_t to) {
        HOLDFAST_RETURN_IF_ERROR(CommitWriteBuffer());
        return files_.Sync(from, to);
      }) {
  if (config_.warm_mapped_file_enable) {
    allocator_ = std::make_unique<AllocateMappedFileService>(
        fs_, files_.dir(), files_.file_size(),
        config_.flush_disk_type == FlushDiskType::kAsyncFlush);
  }
  group_commit_.SetFlushListener([this](int64_t flushed) {
    if (on_flushed_) on_flushed_(flushed);
    ReleaseCacheBehind(flushed);
  });
  flush_service_ = std::make_unique<FlushRealTimeService>(config_, &group_commit_);
  if (config_.flush_disk_type == FlushDiskType::kSyncFlush) {
    group_commit_service_ = std::make_unique<GroupCommitService>(&group_commit_);
  }
}

CommitLog::~CommitLog() {
  // Only logged: a destructor cannot return it, and whoever needs it calls Shutdown() first. What
  // the failed flush did not make durable was never acknowledged as durable.
  Status s = Shutdown();
  if (!s.ok()) spdlog::error("commit log shutdown: {}", s.ToString());
}

Status CommitLog::Load() { return files_.Load(); }

void CommitLog::SetTopicQueueTable(std::unordered_map<std::string, int64_t> table) {
  std::lock_guard lock(put_mu_);
  topic_queue_table_ = std::move(table);
}

void CommitLog::SetListeners(std::function<void(int64_t)> on_appended,
                             std::function<void(int64_t)> on_flushed) {
  on_appended_ = std::move(on_appended);
  on_flushed_ = std::move(on_flushed);
}

void CommitLog::ReleaseCacheBehind(int64_t flushed) {
  if (config_.commit_log_page_cache_window <= 0) return;
  const int64_t end = flushed - config_.commit_log_page_cache_window;
  int64_t asked = cache_release_asked_.load(std::memory_order_relaxed);
  if (end - asked < kReleaseStep) return;
  if (!cache_release_asked_.compare_exchange_strong(asked, end, std::memory_order_relaxed)) return;
  auto files = files_.FilesIn(asked, end);
  if (allocator_) {
    allocator_->ReleaseCache(std::move(files), end);
  } else {
    for (const auto& file : files) file->ReleaseCacheTo(end - file->start_offset());
  }
}

void CommitLog::Start() {
  flush_service_->Start();
  if (group_commit_service_) group_commit_service_->Start();
  if (allocator_) {
    allocator_->Start();
    // A fresh store's first segment is prepared by the allocator too, so the writer does not
    // zero-fill under the put lock (which halved the append rate); the first append on a fresh
    // store waits at most for the segment's first kFillStep. Later segments are asked for when
    // the writer is past half of the one before (Append), not at start, so that a restart does
    // not begin with disk work the first sends would wait behind.
    if (!files_.FindFile(group_commit_.written())) RequestNextSegment(group_commit_.written());
  }
}

void CommitLog::RequestNextSegment(int64_t start_offset) {
  if (allocator_ && !files_.FindFile(start_offset)) allocator_->Request(start_offset);
}

Status CommitLog::Shutdown() {
  {
    std::lock_guard lock(put_mu_);
    if (shut_down_) return Status::Ok();
    shut_down_ = true;
  }
  flush_service_->Shutdown();
  if (group_commit_service_) group_commit_service_->Shutdown();
  if (allocator_) allocator_->Shutdown();
  return group_commit_.FlushAll();
}

int64_t CommitLog::MinOffset() const {
  auto first = files_.FirstFile();
  return first ? first->start_offset() : 0;
}

Result<CommitLog::RecoverResult> CommitLog::Recover(int64_t from, int64_t durable_offset,
                                                    const DispatchFn& dispatch) {
  RecoverResult result;
  auto first = files_.FirstFile();
  auto last = files_.LastFile();
  if (!first) {
    if (durable_offset > 0) {
      return Status::Corruption(fmt::format(
          "{} holds no segment, but the checkpoint says {} bytes were flushed; refusing to start "
          "on a store that lost its commit log",
          files_.dir(), durable_offset));
    }
    group_commit_.Reset(0);
    return result;
  }
  if (durable_offset > last->end_offset()) {
    return Status::Corruption(
        fmt::format("{} ends at {}, but the checkpoint says {} bytes were flushed; segments are "
                    "missing or were cut",
                    files_.dir(), last->end_offset(), durable_offset));
  }
  from = std::clamp(from, first->start_offset(), last->end_offset());

  CommitLogReader reader(&files_, from, std::numeric_limits<int64_t>::max(),
                         config_.check_crc_on_recover);
  MessageView record;
  Status error;
  bool torn = false;
  while (true) {
    CommitLogReader::Kind kind = reader.Next(&record, &error);
    if (kind == CommitLogReader::Kind::kEnd) break;
    if (kind == CommitLogReader::Kind::kRecord) {
      HOLDFAST_RETURN_IF_ERROR(dispatch(MakeDispatchRequest(record)));
      ++result.records;
      continue;
    }
    int64_t bad = reader.position();
    if (!error.IsCorruption()) return error;  // an I/O error: nothing is decided
    if (bad < durable_offset) {
      return Status::Corruption(fmt::format(
          "commit log corrupted below the flushed offset {}: {}; refusing to start rather than "
          "drop synced data",
          durable_offset, error.message()));
    }
    // A damaged record followed by a valid one is damage in the middle, not a torn tail. A read
    // that fails while finding out decides nothing either: cutting then could drop good records.
    char header[8];
    HOLDFAST_RETURN_IF_ERROR(files_.Read(bad, sizeof header, header));
    int32_t size = GetInt32(header);
    int32_t magic = GetInt32(header + 4);
    if ((magic == kMessageMagicCodeV1 || magic == kMessageMagicCodeV2) && size > 0) {
      CommitLogReader next(&files_, bad + size, std::numeric_limits<int64_t>::max(), true);
      MessageView after;
      Status after_error;
      CommitLogReader::Kind after_kind = next.Next(&after, &after_error);
      if (after_kind == CommitLogReader::Kind::kRecord) {
        return Status::Corruption(fmt::format(
            "commit log corrupted in the middle: {}; a valid record follows at offset {}",
            error.message(), bad + size));
      }
      if (after_kind == CommitLogReader::Kind::kError && !after_error.IsCorruption()) {
        return after_error;
      }
    }
    torn = true;
    result.truncation_reason = error.message();
    break;
  }
  result.max_offset = reader.position();
  result.scanned_bytes = result.max_offset - from;

  auto tail = files_.FindFile(result.max_offset);
  if (!torn && tail) {
    auto leftover =
        HasBytesAfter(*tail, result.max_offset - tail->start_offset(), kTailCheckWindow);
    if (!leftover.ok()) return leftover.status();
    if (*leftover) {
      torn = true;
      result.truncation_reason = "bytes of an unfinished write after the last record";
    }
  }
  if (torn) {
    spdlog::warn("commit log: cutting torn tail at offset {}: {}", result.max_offset,
                 result.truncation_reason);
    result.truncated = true;
    HOLDFAST_RETURN_IF_ERROR(files_.TruncateDirtyFiles(result.max_offset));
  } else {
    // Segments past the one appends continue in were prepared ahead by the last run. Keep the
    // next one if it is still blank (so it need not be filled again); drop anything later, and
    // the next one too if it holds bytes (they would be records of a write that was cut off).
    int64_t keep_from = tail ? tail->end_offset() : result.max_offset;
    auto next = files_.FindFile(keep_from);
    bool keep_next = false;
    if (next) {
      auto dirty = HasBytesAfter(*next, 0, kTailCheckWindow);
      if (!dirty.ok()) return dirty.status();
      keep_next = !*dirty;
    }
    HOLDFAST_RETURN_IF_ERROR(files_.RemoveFilesAfter(keep_next ? keep_from : keep_from - 1));
  }
  HOLDFAST_RETURN_IF_ERROR(files_.Sync(from, result.max_offset));
  group_commit_.Reset(result.max_offset);
  return result;
}

PutMessageResult CommitLog::Reject(PutMessageStatus status, std::string error) const {
  PutMessageResult r;
  r.status = status;
  r.error = std::move(error);
  return r;
}

PutMessageResult CommitLog::Append(std::vector<MessageExt>& msgs, int64_t* end_offset) {
  if (msgs.empty()) return Reject(PutMessageStatus::kMessageIllegal, "no message to put");
  // Validate and encode outside the lock; only offsets and the store time are patched inside.
  thread_local std::string buf;
  buf.clear();
  std::vector<size_t> starts;
  starts.reserve(msgs.size());
  std::vector<std::string> queue_keys;  // "topic-queueId", or empty: takes no queue offset
  queue_keys.reserve(msgs.size());
  for (MessageExt& m : msgs) {
    if (Status s = ValidateTopic(m.topic); !s.ok()) {
      return Reject(PutMessageStatus::kMessageIllegal, s.message());
    }
    if (m.body.size() > static_cast<size_t>(config_.max_message_size)) {
      return Reject(PutMessageStatus::kMessageIllegal,
                    fmt::format("message body of {} bytes exceeds maxMessageSize {}", m.body.size(),
                                config_.max_message_size));
    }
    if (m.properties.size() > kMaxPropertiesLength) {
      return Reject(PutMessageStatus::kPropertiesSizeExceeded,
                    fmt::format("message properties of {} bytes exceed {}", m.properties.size(),
                                kMaxPropertiesLength));
    }
    m.queue_offset = 0;
    m.commit_log_offset = 0;
    m.store_timestamp = 0;
    queue_keys.push_back(TakesQueueOffset(m.sys_flag) ? QueueKey(m.topic, m.queue_id) : "");
    starts.push_back(buf.size());
    if (Status s = EncodeStoredRecord(m, &buf); !s.ok()) {
      return Reject(PutMessageStatus::kMessageIllegal, s.message());
    }
  }
  const int64_t total = static_cast<int64_t>(buf.size());
  if (total + kEndFileMinBlankLength > files_.file_size()) {
    return Reject(PutMessageStatus::kMessageIllegal,
                  fmt::format("{} bytes of records cannot fit in a commit-log segment of {}", total,
                              files_.file_size()));
  }

  PutMessageResult result;
  int64_t end = 0;
  {
    std::lock_guard lock(put_mu_);
    if (shut_down_) return Reject(PutMessageStatus::kServiceNotAvailable, "the store is shut down");
    if (Status s = group_commit_.error(); !s.ok()) {
      return Reject(PutMessageStatus::kServiceNotAvailable,
                    "the store stopped accepting writes after a failed sync: " + s.ToString());
    }
    int64_t pos = group_commit_.written();
    if (!current_file_ || pos < current_file_->start_offset() ||
        pos >= current_file_->end_offset()) {
      current_file_ = files_.FindFile(pos);
    }
    std::shared_ptr<MappedFile>& file = current_file_;  // held by the member while locked
    if (!file || pos + total + kEndFileMinBlankLength > file->end_offset()) {
      int64_t next = pos;
      if (file) {
        // End-of-segment blank: int remaining, int BLANK_MAGIC; readers skip to the next segment.
        char blank[8];
        PutBigEndian32(blank, static_cast<uint32_t>(file->end_offset() - pos));
        PutBigEndian32(blank + 4, static_cast<uint32_t>(kBlankMagicCode));
        int64_t rel = pos - file->start_offset();
        Status s = config_.warm_mapped_file_enable
                       ? file->EnsureFilled(rel + 8, AllocateMappedFileService::kFillStep)
                       : Status::Ok();
        if (s.ok()) s = WriteLocked(file, rel, std::string_view(blank, 8));
        if (!s.ok()) {
          return Reject(PutMessageStatus::kUnknownError,
                        "write of end-of-segment blank: " + s.ToString());
        }
        // Everything buffered belongs to this segment: write it before moving on.
        if (Status w = WriteBufferLocked(); !w.ok()) {
          return Reject(PutMessageStatus::kServiceNotAvailable,
                        "commit log write failed: " + w.ToString());
        }
        next = file->end_offset();
      }
      // The next segment may exist already: prepared by an earlier run and kept by recovery.
      file = files_.FindFile(next);
      if (!file) {
        std::unique_ptr<MappedFile> prepared = allocator_ ? allocator_->Take(next) : nullptr;
        auto added = files_.AddFile(next, std::move(prepared));
        if (!added.ok()) {
          return Reject(PutMessageStatus::kCreateMappedFileFailed, added.status().ToString());
        }
        file = *added;
      }
      pos = next;
      group_commit_.Advance(pos);  // the blank is part of the log
    }

    const int64_t store_timestamp = NowMillis();
    // Next queue offsets, applied to the table only once the write succeeded.
    std::vector<std::pair<int64_t*, int64_t>> queue_updates;
    queue_updates.reserve(msgs.size());
    for (size_t i = 0; i < msgs.size(); ++i) {
      MessageExt& m = msgs[i];
      int64_t queue_offset = 0;
      if (!queue_keys[i].empty()) {
        int64_t* next_offset = &topic_queue_table_[queue_keys[i]];
        queue_offset = *next_offset;
        for (const auto& [slot, v] : queue_updates) {
          if (slot == next_offset) queue_offset = v;  // earlier messages of this batch, same queue
        }
        queue_updates.emplace_back(next_offset, queue_offset + 1);
      }
      m.queue_offset = queue_offset;
      m.commit_log_offset = pos + static_cast<int64_t>(starts[i]);
      m.store_timestamp = store_timestamp;
      char* rec = buf.data() + starts[i];
      PutBigEndian64(rec + kRecordQueueOffsetPos, static_cast<uint64_t>(m.queue_offset));
      PutBigEndian64(rec + kRecordPhysicalOffsetPos, static_cast<uint64_t>(m.commit_log_offset));
      PutBigEndian64(rec + RecordStoreTimestampPos(GetInt32(rec + kRecordSysFlagPos)),
                     static_cast<uint64_t>(store_timestamp));
    }

    int64_t rel = pos - file->start_offset();
    Status s = config_.warm_mapped_file_enable
                   ? file->EnsureFilled(rel + total, AllocateMappedFileService::kFillStep)
                   : Status::Ok();
    if (s.ok()) s = WriteLocked(file, rel, buf);
    if (!s.ok()) {
      // Nothing advanced: the next append overwrites these bytes, and recovery would cut them.
      return Reject(
          s.IsNoSpace() ? PutMessageStatus::kServiceNotAvailable : PutMessageStatus::kUnknownError,
          "commit log write failed: " + s.ToString());
    }
    end = pos + total;
    if (allocator_) {
      if (int64_t ahead = file->ClaimPrepareAhead(rel + total, allocator_->window())) {
        allocator_->PrepareAhead(file, ahead);
      }
      // Past half of this segment, the next one is due: created (one kFillStep, or its blocks
      // reserved) long before the writer needs it, and not at start.
      if (next_segment_requested_ != file->end_offset() && 2 * (rel + total) >= file->size()) {
        next_segment_requested_ = file->end_offset();
        RequestNextSegment(file->end_offset());
      }
    }
    group_commit_.Advance(end);
    for (auto& [slot, next_offset] : queue_updates) *slot = next_offset;

    result.append.wrote_offset = pos;
    result.append.wrote_bytes = static_cast<int32_t>(total);
    result.append.logics_offset = msgs.front().queue_offset;
    result.append.store_timestamp = store_timestamp;
    result.append.msg_num = static_cast<int32_t>(msgs.size());
  }
  if (on_appended_) on_appended_(end);
  result.status = PutMessageStatus::kPutOk;
  *end_offset = end;
  return result;
}

PutMessageResult CommitLog::WrittenOut(PutMessageResult appended) {
  if (Status s = CommitWriteBuffer(); !s.ok()) {
    return Reject(PutMessageStatus::kServiceNotAvailable,
                  "commit log write failed: " + s.ToString());
  }
  return appended;
}

Status CommitLog::WriteLocked(const std::shared_ptr<MappedFile>& file, int64_t rel,
                              std::string_view bytes) {
  if (!buffered_) return file->Write(rel, bytes);
  if (write_buffer_.empty()) {
    buffer_file_ = file;
    buffer_pos_ = rel;
  } else if (buffer_file_ != file ||
             buffer_pos_ + static_cast<int64_t>(write_buffer_.size()) != rel) {
    return Status::Corruption(fmt::format(
        "commit log write at {} of {} does not continue the write buffer ({} bytes at {} of {})",
        rel, file->path(), write_buffer_.size(), buffer_pos_, buffer_file_->path()));
  }
  write_buffer_.append(bytes);
  return Status::Ok();
}

Status CommitLog::WriteBufferLocked() {
  if (write_buffer_.empty()) return Status::Ok();
  Status s = buffer_file_->Write(buffer_pos_, write_buffer_);
  write_buffer_.clear();
  buffer_file_.reset();
  if (!s.ok()) group_commit_.Fail(s);
  return s;
}

Status CommitLog::CommitWriteBuffer() {
  if (!buffered_) return Status::Ok();
  std::lock_guard commit(commit_mu_);
  std::shared_ptr<MappedFile> file;
  int64_t pos = 0;
  {
    std::lock_guard lock(put_mu_);
    if (write_buffer_.empty()) return Status::Ok();
    committing_.clear();
    committing_.swap(write_buffer_);
    file = std::move(buffer_file_);
    buffer_file_.reset();
    pos = buffer_pos_;
  }
  Status s = file->Write(pos, committing_);
  if (!s.ok()) group_commit_.Fail(s);
  return s;
}

bool CommitLog::MustWaitForFlush(bool wait_for_flush) const {
  return config_.flush_disk_type == FlushDiskType::kSyncFlush && wait_for_flush;
}

PutMessageResult CommitLog::PutMessages(std::vector<MessageExt>& msgs, bool wait_for_flush) {
  int64_t end = 0;
  PutMessageResult result = Append(msgs, &end);
  if (!result.ok()) return result;
  if (!MustWaitForFlush(wait_for_flush)) return WrittenOut(std::move(result));
  auto deadline = SteadyClock::now() + std::chrono::milliseconds(config_.sync_flush_timeout);
  NoteFlushOutcome(group_commit_.WaitFlushed(end, deadline), &result);
  return result;
}

void CommitLog::NoteFlushOutcome(const Status& flushed, PutMessageResult* result) {
  if (flushed.ok()) return;
  if (flushed.code() == Status::Code::kTimeout) {
    result->status = PutMessageStatus::kFlushDiskTimeout;
    result->error = flushed.ToString();
    return;
  }
  if (flushed.code() == Status::Code::kUnavailable) {  // shut down before its sync
    result->status = PutMessageStatus::kServiceNotAvailable;
    result->error = "the message was not made durable before " + flushed.message();
    return;
  }
  result->status = PutMessageStatus::kFlushDiskFailed;
  result->error = "the commit-log sync that had to make this message durable failed (" +
                  flushed.ToString() +
                  "); the message may be lost, and the store accepts no more messages until it "
                  "is restarted";
}

void CommitLog::PutMessagesAsync(std::vector<MessageExt>& msgs, bool wait_for_flush,
                                 std::function<void(PutMessageResult)> done) {
  int64_t end = 0;
  PutMessageResult result = Append(msgs, &end);
  if (!result.ok()) {
    done(std::move(result));
    return;
  }
  if (!MustWaitForFlush(wait_for_flush)) {
    done(WrittenOut(std::move(result)));
    return;
  }
  auto deadline = SteadyClock::now() + std::chrono::milliseconds(config_.sync_flush_timeout);
  group_commit_.Submit(end, deadline,
                       [result = std::move(result), done = std::move(done)](Status s) mutable {
                         NoteFlushOutcome(s, &result);
                         done(std::move(result));
                       });
}

Status CommitLog::Read(int64_t offset, size_t n, char* buf) const {
  return files_.Read(offset, n, buf);
}

Result<std::string> CommitLog::ReadRecord(int64_t offset) const {
  if (offset < MinOffset() || offset >= MaxOffset()) {
    return Status::NotFound(fmt::format("no message at commit-log offset {} (log holds {}..{})",
                                        offset, MinOffset(), MaxOffset()));
  }
  char header[4];
  HOLDFAST_RETURN_IF_ERROR(files_.Read(offset, sizeof header, header));
  int32_t size = GetInt32(header);
  if (size <= 0 || offset + size > MaxOffset()) {
    return Status::NotFound(fmt::format("no message starts at commit-log offset {}", offset));
  }
  std::string record(static_cast<size_t>(size), '\0');
  HOLDFAST_RETURN_IF_ERROR(files_.Read(offset, record.size(), record.data()));
  auto view = DecodeStoredRecord(record, true);
  if (!view.ok()) {
    return Status::Corruption(
        fmt::format("commit-log offset {}: {}", offset, view.status().message()));
  }
  return record;
}

Result<MessageExt> CommitLog::ReadMessage(int64_t offset) const {
  auto record = ReadRecord(offset);
  if (!record.ok()) return record.status();
  auto view = DecodeStoredRecord(*record, false);
  if (!view.ok()) return view.status();
  return view->ToMessageExt();
}

void CommitLog::RemoveQueueFromTopicQueueTable(std::string_view topic, int32_t queue_id) {
  std::lock_guard lock(put_mu_);
  topic_queue_table_.erase(QueueKey(topic, queue_id));
}

}  // namespace holdfast::store
