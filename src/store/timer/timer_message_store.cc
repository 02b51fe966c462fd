#include "store/timer/timer_message_store.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <iterator>

#include "common/clock.h"
#include "common/message_codec.h"
#include "store/timer/timer_routing.h"

namespace holdfast::store::timer {

namespace {

constexpr int kFileBatch = 256;
constexpr int64_t kIdlePollMs = 10;
constexpr int64_t kRetryMs = 1000;

// Seconds are filed by rounding the due time up, so that a message is never delivered early.
int64_t CeilSec(int64_t ms) { return ms >= 0 ? (ms + 999) / 1000 : -((-ms) / 1000); }

int64_t DueMs(std::string_view properties, int64_t fallback) {
  std::optional<std::string_view> text = FindProperty(properties, property::kTimerOutMs);
  int64_t due = 0;
  if (!text) return fallback;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), due);
  return ec == std::errc() && end == text->data() + text->size() ? due : fallback;
}

}  // namespace

TimerMessageStore::TimerMessageStore(MessageStore* store, const MessageStoreConfig& config,
                                     FileSystem* fs, Options options)
    : store_(store),
      config_(config),
      fs_(fs),
      options_(std::move(options)),
      dir_(config.store_path_root_dir + "/timer"),
      slot_count_(std::max<int64_t>(2 * config.timer_max_delay_sec, 60)),
      log_(fs, dir_ + "/log", options_.log_entries_per_file) {
  if (!options_.now_ms) options_.now_ms = [] { return NowMillis(); };
  if (!options_.put) {
    options_.put = [store](MessageExt msg, std::function<void(PutMessageResult)> done) {
      store->PutMessageAsync(std::move(msg), std::move(done));
    };
  }
  options_.max_in_flight = std::max(1, options_.max_in_flight);
}

Result<std::unique_ptr<TimerMessageStore>> TimerMessageStore::Open(MessageStore* store,
                                                                   const MessageStoreConfig& config,
                                                                   FileSystem* fs,
                                                                   Options options) {
  if (config.timer_precision_ms != 1000) {
    return Status::InvalidArgument(
        fmt::format("timerPrecisionMs {} is not supported; the timer wheel has 1000 ms slots",
                    config.timer_precision_ms));
  }
  if (config.timer_max_delay_sec <= 0 || config.timer_flush_interval_ms <= 0) {
    return Status::InvalidArgument("timerMaxDelaySec and timerFlushIntervalMs must be positive");
  }
  std::unique_ptr<TimerMessageStore> timer(
      new TimerMessageStore(store, config, fs, std::move(options)));
  HOLDFAST_RETURN_IF_ERROR(timer->Recover());
  return timer;
}

TimerMessageStore::~TimerMessageStore() {
  Status s = Shutdown();
  if (!s.ok()) spdlog::error("timer store shutdown: {}", s.ToString());
}

Status TimerMessageStore::Recover() {
  HOLDFAST_RETURN_IF_ERROR(fs_->CreateDirs(dir_));
  auto checkpoint = TimerCheckpoint::Open(fs_, dir_ + "/checkpoint");
  if (!checkpoint.ok()) return checkpoint.status();
  checkpoint_ = std::move(checkpoint).value();
  HOLDFAST_RETURN_IF_ERROR(log_.Load());
  bool wheel_created = false;
  auto wheel = TimerWheel::Open(fs_, dir_ + "/wheel", slot_count_, &wheel_created);
  if (!wheel.ok()) return wheel.status();
  wheel_ = std::move(wheel).value();

  const int64_t queue_min = store_->GetMinOffsetInQueue(kTimerTopic, 0);
  const int64_t queue_max = store_->GetMaxOffsetInQueue(kTimerTopic, 0);
  TimerProgress p = checkpoint_->progress();
  // Without a checkpoint, or with a log that lost what it covered, the state is rebuilt from the
  // timer queue: every message still in it is filed again, at the second the delivery stands at
  // if it is due before (delivered again: duplicates, never a loss).
  const bool lost = !checkpoint_->valid() || p.log_end > log_.end() || p.log_end < log_.begin();
  if (lost) {
    if (checkpoint_->valid() || log_.end() > 0 || queue_max > queue_min) {
      spdlog::warn(
          "timer store {}: checkpoint {} (log {}..{}); filing the timer queue again from offset "
          "{}",
          dir_, checkpoint_->valid() ? "does not match the log" : "missing or torn", log_.begin(),
          log_.end(), queue_min);
    }
    p.enqueue_offset = queue_min;
    p.log_end = 0;
    if (!checkpoint_->valid()) p.delivered_sec = CeilSec(options_.now_ms());
    HOLDFAST_RETURN_IF_ERROR(log_.TruncateTo(0));
    wheel_->Clear();
  } else {
    bool rebuild = wheel_created || p.slot_count != slot_count_;
    if (!rebuild) {
      // Entries filed after the checkpoint are dropped (the queue files them again): unlink them
      // from the heads of their lists. They are the newest, so they lead their lists.
      std::vector<std::pair<int64_t, int64_t>> fixes;
      wheel_->ForEachHead([&](int64_t sec, int64_t head) {
        int64_t h = head;
        while (!rebuild && h >= p.log_end) {
          auto e = log_.Read(h);
          if (!e.ok() || e->slot_sec != sec) {
            rebuild = true;  // an entry never made durable (power loss): rebuild from the log
            break;
          }
          h = e->prev;
        }
        if (h != head) fixes.emplace_back(sec, h);
      });
      if (!rebuild) {
        for (auto [sec, head] : fixes) wheel_->SetHead(sec, head);
      }
    }
    HOLDFAST_RETURN_IF_ERROR(log_.TruncateTo(p.log_end));
    if (rebuild) HOLDFAST_RETURN_IF_ERROR(RebuildWheel());
  }
  if (p.enqueue_offset > queue_max || p.enqueue_offset < queue_min) {
    spdlog::warn("timer store {}: filed up to queue offset {}, but the timer queue holds {}..{}",
                 dir_, p.enqueue_offset, queue_min, queue_max);
    p.enqueue_offset = std::clamp(p.enqueue_offset, queue_min, queue_max);
  }
  enqueue_offset_ = p.enqueue_offset;
  open_sec_ = p.delivered_sec;
  delivered_sec_.store(p.delivered_sec);
  p.slot_count = slot_count_;
  p.log_end = log_.end();
  HOLDFAST_RETURN_IF_ERROR(log_.Sync());
  HOLDFAST_RETURN_IF_ERROR(wheel_->Sync());
  HOLDFAST_RETURN_IF_ERROR(checkpoint_->Flush(p));
  flushed_ = p;
  spdlog::info(
      "timer store {}: filed up to queue offset {} of {}, delivered up to second {}, {} "
      "log bytes{}",
      dir_, p.enqueue_offset, queue_max, p.delivered_sec, log_.end() - log_.begin(),
      rebuilt_ ? " (wheel rebuilt from the log)" : "");
  return Status::Ok();
}

Status TimerMessageStore::RebuildWheel() {
  rebuilt_ = true;
  wheel_->Clear();
  const int64_t delivered = checkpoint_->progress().delivered_sec;
  // Lists were linked per second when filed, so the newest entry of each second still to deliver
  // heads its list again.
  return log_.Scan(log_.begin(), log_.end(), [&](int64_t pos, const TimerLogEntry& e) {
    if (e.slot_sec >= delivered) wheel_->SetHead(e.slot_sec, pos);
  });
}

void TimerMessageStore::Start() {
  if (started_) return;
  started_ = true;
  enqueue_thread_ = std::thread([this] { EnqueueLoop(); });
  dequeue_thread_ = std::thread([this] { DequeueLoop(); });
}

Status TimerMessageStore::Shutdown() {
  if (shut_down_) return Status::Ok();
  shut_down_ = true;
  {
    std::lock_guard lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (enqueue_thread_.joinable()) enqueue_thread_.join();
  if (dequeue_thread_.joinable()) dequeue_thread_.join();
  return Flush();
}

void TimerMessageStore::Pause(int64_t ms) {
  std::unique_lock lock(stop_mu_);
  stop_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

void TimerMessageStore::EnqueueLoop() {
  int64_t last_flush = options_.now_ms();
  for (;;) {
    {
      std::lock_guard lock(stop_mu_);
      if (stopping_) return;
    }
    auto filed = FileBatch(kFileBatch);
    if (!filed.ok()) spdlog::error("timer store {}: filing: {}", dir_, filed.status().ToString());
    const int64_t now = options_.now_ms();
    if (now - last_flush >= config_.timer_flush_interval_ms) {
      if (Status s = Flush(); !s.ok()) {
        spdlog::error("timer store {}: checkpoint: {}", dir_, s.ToString());
      }
      last_flush = now;
    }
    if (!filed.ok()) {
      Pause(kRetryMs);
    } else if (*filed == 0) {
      Pause(kIdlePollMs);
    }
  }
}

void TimerMessageStore::DequeueLoop() {
  for (;;) {
    {
      std::lock_guard lock(stop_mu_);
      if (stopping_) return;
    }
    const int64_t sec = delivered_sec_.load();
    const int64_t wait = sec * 1000 - options_.now_ms();
    if (wait > 0) {
      Pause(std::min<int64_t>(wait, 100));
      continue;
    }
    if (Status s = DeliverSecond(sec); !s.ok()) {
      spdlog::error("timer store {}: second {} not delivered yet: {}", dir_, sec, s.ToString());
      Pause(kRetryMs);
    }
  }
}

Status TimerMessageStore::FileAvailable() {
  for (;;) {
    auto filed = FileBatch(kFileBatch);
    if (!filed.ok()) return filed.status();
    if (*filed == 0) return Status::Ok();
  }
}

Status TimerMessageStore::DeliverDue() {
  for (;;) {
    const int64_t sec = delivered_sec_.load();
    if (sec * 1000 > options_.now_ms()) return Status::Ok();
    HOLDFAST_RETURN_IF_ERROR(DeliverSecond(sec));
  }
}

Result<int> TimerMessageStore::FileBatch(int max) {
  int64_t offset;
  {
    std::lock_guard lock(mu_);
    offset = enqueue_offset_;
  }
  if (offset >= store_->GetMaxOffsetInQueue(kTimerTopic, 0)) return 0;
  GetMessageResult got = store_->GetMessage(kTimerTopic, 0, offset, max, 4LL << 20);
  if (got.status == GetMessageStatus::kReadError) return got.error;
  if (got.status == GetMessageStatus::kOffsetTooSmall) {
    std::lock_guard lock(mu_);
    spdlog::warn("timer store {}: queue offset {} is gone; going on from {}", dir_, offset,
                 got.next_begin_offset);
    enqueue_offset_ = got.next_begin_offset;
    return 0;
  }
  if (got.status != GetMessageStatus::kFound) return 0;
  int filed = 0;
  for (size_t i = 0; i < got.messages.size(); ++i) {
    auto view = DecodeStoredRecord(got.messages[i], /*check_body_crc=*/false);
    if (!view.ok()) return view.status();
    TimerLogEntry e;
    e.commit_log_offset = view->commit_log_offset;
    e.size = view->store_size;
    e.due_ms = DueMs(view->properties, view->store_timestamp);
    std::lock_guard lock(mu_);
    e.slot_sec = std::max(CeilSec(e.due_ms), open_sec_);
    if (e.slot_sec >= delivered_sec_.load() + slot_count_) {
      // Its slot still stands for a second not yet delivered (the delivery is catching up after
      // a long stop, or the clock jumped): wait for the delivery to move on.
      return filed;
    }
    e.prev = wheel_->Head(e.slot_sec);
    auto pos = log_.Append(e);
    if (!pos.ok()) return pos.status();
    wheel_->SetHead(e.slot_sec, *pos);
    enqueue_offset_ = got.queue_offsets[i] + 1;
    ++filed;
    filed_.fetch_add(1, std::memory_order_relaxed);
  }
  return filed;
}

Status TimerMessageStore::DeliverSecond(int64_t sec) {
  int64_t head;
  {
    std::lock_guard lock(mu_);
    open_sec_ = std::max(open_sec_, sec + 1);  // from now on later arrivals go to the next second
    head = wheel_->Head(sec);
  }
  std::vector<TimerLogEntry> entries;
  for (int64_t h = head; h >= 0;) {
    auto e = log_.Read(h);
    if (!e.ok()) return e.status();
    entries_read_.fetch_add(1, std::memory_order_relaxed);
    if (e->slot_sec != sec) break;  // not of this list (a slot torn by a crash)
    h = e->prev;
    entries.push_back(*e);
  }
  std::reverse(entries.begin(), entries.end());  // in the order they were filed
  for (;;) {
    PutAll(&entries);
    if (entries.empty()) break;
    bool stopping;
    {
      std::lock_guard lock(stop_mu_);
      stopping = stopping_;
    }
    // Shutting down, or a test driving DeliverDue: report it; the second stays undelivered.
    if (stopping || !started_) {
      return Status::Unavailable(fmt::format(
          "{} deliveries of second {} failed; it stays undelivered", entries.size(), sec));
    }
    spdlog::warn("timer store {}: {} deliveries of second {} failed; retrying them", dir_,
                 entries.size(), sec);
    Pause(kRetryMs);
  }
  delivered_sec_.store(sec + 1);
  return Status::Ok();
}

void TimerMessageStore::PutAll(std::vector<TimerLogEntry>* entries) {
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    int in_flight = 0;
    std::vector<size_t> failed;
  };
  auto shared = std::make_shared<Shared>();
  for (size_t i = 0; i < entries->size(); ++i) {
    const TimerLogEntry& e = (*entries)[i];
    auto stored = store_->LookMessageByOffset(e.commit_log_offset);
    if (!stored.ok()) {
      if (stored.status().code() == Status::Code::kIoError) {
        std::lock_guard lock(shared->mu);
        shared->failed.push_back(i);
        continue;
      }
      spdlog::error("timer store {}: cannot deliver the record at commit-log offset {}: {}", dir_,
                    e.commit_log_offset, stored.status().ToString());
      skipped_.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    auto msg = ToDeliverable(*stored);
    if (!msg.ok()) {
      spdlog::error("timer store {}: {}", dir_, msg.status().ToString());
      skipped_.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    {
      std::unique_lock lock(shared->mu);
      shared->cv.wait(lock, [&] { return shared->in_flight < options_.max_in_flight; });
      ++shared->in_flight;
    }
    options_.put(std::move(msg).value(), [this, shared, i](PutMessageResult r) {
      std::lock_guard lock(shared->mu);
      if (r.status == PutMessageStatus::kPutOk) {
        delivered_.fetch_add(1, std::memory_order_relaxed);
      } else {
        failed_puts_.fetch_add(1, std::memory_order_relaxed);
        shared->failed.push_back(i);
      }
      --shared->in_flight;
      shared->cv.notify_all();
    });
  }
  std::unique_lock lock(shared->mu);
  shared->cv.wait(lock, [&] { return shared->in_flight == 0; });
  std::sort(shared->failed.begin(), shared->failed.end());
  std::vector<TimerLogEntry> again;
  again.reserve(shared->failed.size());
  for (size_t i : shared->failed) again.push_back((*entries)[i]);
  *entries = std::move(again);
}

Status TimerMessageStore::Flush() {
  TimerProgress p;
  {
    std::lock_guard lock(mu_);
    p.enqueue_offset = enqueue_offset_;
    p.log_end = log_.end();
  }
  p.delivered_sec = delivered_sec_.load();
  p.slot_count = slot_count_;
  if (p.enqueue_offset == flushed_.enqueue_offset && p.log_end == flushed_.log_end &&
      p.delivered_sec == flushed_.delivered_sec) {
    return Status::Ok();  // nothing new: an idle timer store does no I/O
  }
  // Entries and slots first, then the checkpoint that counts them.
  HOLDFAST_RETURN_IF_ERROR(log_.Sync());
  HOLDFAST_RETURN_IF_ERROR(wheel_->Sync());
  HOLDFAST_RETURN_IF_ERROR(checkpoint_->Flush(p));
  flushed_ = p;
  return RemoveDeliveredFiles(p.delivered_sec);
}

Status TimerMessageStore::RemoveDeliveredFiles(int64_t delivered_sec) {
  // A full log file may go once every second filed in it is delivered and checkpointed: no list
  // still to deliver, and no rebuild, reads it again. Each file is scanned once for its highest
  // second.
  return log_.RemoveFilesWhile([&](int64_t begin, int64_t end) {
    auto it = std::find_if(file_max_sec_.begin(), file_max_sec_.end(),
                           [begin](const auto& f) { return f.first == begin; });
    if (it == file_max_sec_.end()) {
      int64_t max_sec = INT64_MIN;
      Status s = log_.Scan(begin, end, [&](int64_t, const TimerLogEntry& e) {
        max_sec = std::max(max_sec, e.slot_sec);
      });
      if (!s.ok()) {
        spdlog::warn("timer store {}: keeping log file at {}: {}", dir_, begin, s.ToString());
        return false;
      }
      file_max_sec_.emplace_back(begin, max_sec);
      it = std::prev(file_max_sec_.end());
    }
    if (it->second >= delivered_sec) return false;
    file_max_sec_.erase(it);
    return true;
  });
}

TimerMessageStore::Stats TimerMessageStore::stats() const {
  Stats s;
  {
    std::lock_guard lock(mu_);
    s.enqueue_offset = enqueue_offset_;
    s.log_bytes = log_.end() - log_.begin();
  }
  s.delivered_sec = delivered_sec_.load();
  s.filed = filed_.load();
  s.delivered = delivered_.load();
  s.entries_read = entries_read_.load();
  s.failed_puts = failed_puts_.load();
  s.skipped = skipped_.load();
  s.rebuilt = rebuilt_;
  return s;
}

}  // namespace holdfast::store::timer
