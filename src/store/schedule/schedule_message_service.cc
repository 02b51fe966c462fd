#include "store/schedule/schedule_message_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>

#include "common/clock.h"
#include "common/service_thread.h"
#include "store/repeated_error_log.h"
#include "store/schedule/schedule_routing.h"

namespace holdfast::store::schedule {

// One level's deliveries.
class ScheduleMessageService::LevelTask : public ServiceThread {
 public:
  LevelTask(ScheduleMessageService* service, int32_t level)
      : ServiceThread(fmt::format("ScheduleL{}", level)),
        service_(service),
        level_(level),
        errors_(fmt::format("delay level {} delivery", level)) {}
  ~LevelTask() override { Shutdown(); }

  RepeatedErrorLog& errors() { return errors_; }

 protected:
  void Run() override { WaitForRunning(service_->DeliverRound(level_)); }

 private:
  ScheduleMessageService* const service_;
  const int32_t level_;
  RepeatedErrorLog errors_;  // this thread's
};

class ScheduleMessageService::FlushTask : public ServiceThread {
 public:
  FlushTask(ScheduleMessageService* service, std::chrono::milliseconds interval)
      : ServiceThread("DelayOffsetFlush"), service_(service), interval_(interval) {}
  ~FlushTask() override { Shutdown(); }

 protected:
  void Run() override {
    WaitForRunning(interval_);
    if (Stopped()) return;  // the owner persists once the levels have stopped
    errors_.Note(service_->Persist());
  }

 private:
  ScheduleMessageService* const service_;
  const std::chrono::milliseconds interval_;
  RepeatedErrorLog errors_{"delayOffset.json persist"};
};

namespace {

// The answers to one batch of re-puts, filled in by the store's completions.
struct BatchResults {
  std::mutex mu;
  std::condition_variable cv;
  size_t pending = 0;                     // guarded by mu
  std::vector<PutMessageResult> results;  // guarded by mu; index = position in the batch

  void Done(size_t index, PutMessageResult r) {
    std::lock_guard lock(mu);
    results[index] = std::move(r);
    if (--pending == 0) cv.notify_all();
  }
  void Wait() {
    std::unique_lock lock(mu);
    cv.wait(lock, [this] { return pending == 0; });
  }
};

}  // namespace

std::string ScheduleMessageService::OffsetFilePath(const std::string& store_root_dir) {
  return store_root_dir + "/config/delayOffset.json";
}

ScheduleMessageService::ScheduleMessageService(MessageStore* store, FileSystem* fs, Options options)
    : store_(store),
      fs_(fs),
      options_(options),
      path_(OffsetFilePath(store->config().store_path_root_dir)) {}

ScheduleMessageService::~ScheduleMessageService() { Shutdown(); }

Status ScheduleMessageService::Start() {
  if (started_) return Status::AlreadyExists("schedule message service already started");
  const int32_t max_level = store_->delay_levels().max_level();
  DelayOffsetTable loaded;
  if (fs_->Exists(path_)) {
    Result<std::string> text = ReadWholeFile(fs_, path_);
    if (!text.ok()) return text.status();
    Result<DelayOffsetTable> decoded = DecodeDelayOffsetTable(*text, path_);
    if (!decoded.ok()) return decoded.status();
    loaded = std::move(decoded).value();
  }
  DelayOffsetTable offsets;
  for (int32_t level = 1; level <= max_level; ++level) {
    const int64_t min = store_->GetMinOffsetInQueue(kScheduleTopic, level - 1);
    const int64_t max = store_->GetMaxOffsetInQueue(kScheduleTopic, level - 1);
    auto it = loaded.find(level);
    const int64_t saved = it == loaded.end() ? 0 : it->second;
    const int64_t offset = std::clamp(saved, min, max);
    if (offset != saved && it != loaded.end()) {
      spdlog::warn("{}: level {} offset {} is outside its queue [{}, {}]; using {}", path_, level,
                   saved, min, max, offset);
    }
    offsets[level] = offset;
  }
  for (const auto& [level, offset] : loaded) {
    if (level > max_level) {
      spdlog::warn("{}: level {} (offset {}) is above messageDelayLevel's {} levels; dropped",
                   path_, level, offset, max_level);
    }
  }
  {
    std::lock_guard lock(mu_);
    offsets_ = std::move(offsets);
  }
  HOLDFAST_RETURN_IF_ERROR(Persist());
  started_ = true;
  for (int32_t level = 1; level <= max_level; ++level) {
    levels_.push_back(std::make_unique<LevelTask>(this, level));
  }
  flush_ = std::make_unique<FlushTask>(
      this, std::chrono::milliseconds(store_->config().flush_delay_offset_interval));
  for (auto& task : levels_) task->Start();
  flush_->Start();
  spdlog::info("schedule message service started: {} delay levels, offsets in {}", max_level,
               path_);
  return Status::Ok();
}

void ScheduleMessageService::Shutdown() {
  if (!started_) return;
  started_ = false;
  for (auto& task : levels_) task->Shutdown();
  if (flush_) flush_->Shutdown();
  if (Status s = Persist(); !s.ok()) {
    spdlog::error(
        "schedule message service shutdown: {}; the levels resume from the last "
        "written offsets and deliver what came after them again",
        s.ToString());
  }
}

Status ScheduleMessageService::Persist() {
  std::lock_guard lock(persist_mu_);
  const std::string text = EncodedOffsets();
  HOLDFAST_RETURN_IF_ERROR(fs_->CreateDirs(DirName(path_)));
  return WriteFileAtomically(fs_, path_, text);
}

DelayOffsetTable ScheduleMessageService::Offsets() const {
  std::lock_guard lock(mu_);
  return offsets_;
}

std::string ScheduleMessageService::EncodedOffsets() const {
  return EncodeDelayOffsetTable(Offsets());
}

void ScheduleMessageService::SetOffset(int32_t level, int64_t offset) {
  std::lock_guard lock(mu_);
  offsets_[level] = offset;
}

int64_t ScheduleMessageService::OffsetOf(int32_t level) const {
  std::lock_guard lock(mu_);
  auto it = offsets_.find(level);
  return it == offsets_.end() ? 0 : it->second;
}

std::chrono::milliseconds ScheduleMessageService::DeliverRound(int32_t level) {
  RepeatedErrorLog& errors = levels_[static_cast<size_t>(level - 1)]->errors();
  const int64_t offset = OffsetOf(level);
  Result<std::vector<ConsumeQueue::Entry>> entries =
      store_->GetQueueEntries(kScheduleTopic, level - 1, offset, options_.batch_size);
  if (!entries.ok()) {
    failed_rounds_.fetch_add(1, std::memory_order_relaxed);
    errors.Note(entries.status());
    return options_.failure_backoff;
  }
  const int64_t now = NowMillis();
  const int64_t delay = store_->delay_levels().DelayMillis(level);
  // The due prefix of the entries.
  size_t due = 0;
  while (due < entries->size()) {
    int64_t deliver_at = (*entries)[due].tags_code;
    if (deliver_at > now + delay) deliver_at = now;  // the clock went back
    if (deliver_at > now) break;
    ++due;
  }
  if (due == 0) return options_.poll_interval;

  // Read and re-put them all, then wait for every answer.
  auto batch = std::make_shared<BatchResults>();
  batch->results.resize(due);
  std::vector<bool> issued(due, false);
  size_t usable = due;  // entries before the first one that could not be read
  Status read_error;
  for (size_t i = 0; i < due; ++i) {
    const ConsumeQueue::Entry& e = (*entries)[i];
    Result<MessageExt> waiting = store_->LookMessageByOffset(e.commit_log_offset);
    if (!waiting.ok()) {
      if (e.commit_log_offset < store_->GetMinPhyOffset()) {
        spdlog::warn(
            "delay level {}: message at queue offset {} (commit-log offset {}) was "
            "removed with its commit-log file before it was delivered",
            level, offset + static_cast<int64_t>(i), e.commit_log_offset);
        continue;
      }
      read_error = Status::IoError(fmt::format(
          "delay level {}: reading the message at queue offset {} (commit-log offset {}): {}",
          level, offset + static_cast<int64_t>(i), e.commit_log_offset,
          waiting.status().ToString()));
      usable = i;
      break;
    }
    Result<MessageExt> delivered = MakeDeliveredMessage(*waiting);
    if (!delivered.ok()) {
      spdlog::error("delay level {}: cannot deliver the message at queue offset {}: {}", level,
                    offset + static_cast<int64_t>(i), delivered.status().ToString());
      continue;
    }
    issued[i] = true;
    {
      std::lock_guard lock(batch->mu);
      ++batch->pending;
    }
    store_->PutMessageAsync(std::move(delivered).value(),
                            [batch, i](PutMessageResult r) { batch->Done(i, std::move(r)); });
  }
  batch->Wait();

  size_t done = 0;
  Status put_error;
  for (; done < usable; ++done) {
    if (!issued[done]) continue;
    const PutMessageResult& r = batch->results[done];
    if (r.status != PutMessageStatus::kPutOk) {
      put_error = Status::IoError(
          fmt::format("delay level {}: re-put of the message at queue offset {} answered {}{}{}",
                      level, offset + static_cast<int64_t>(done), PutMessageStatusName(r.status),
                      r.error.empty() ? "" : ": ", r.error));
      break;
    }
  }
  int64_t count = 0;
  for (size_t i = 0; i < done; ++i) count += issued[i] ? 1 : 0;
  delivered_.fetch_add(count, std::memory_order_relaxed);
  SetOffset(level, offset + static_cast<int64_t>(done));
  if (!put_error.ok() || !read_error.ok()) {
    failed_rounds_.fetch_add(1, std::memory_order_relaxed);
    errors.Note(put_error.ok() ? read_error : put_error);
    return options_.failure_backoff;
  }
  errors.Note(Status::Ok());
  // A full batch may have more due behind it.
  return done == entries->size() ? std::chrono::milliseconds(0) : options_.poll_interval;
}

}  // namespace holdfast::store::schedule
