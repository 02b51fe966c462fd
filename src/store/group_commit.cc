#include "store/group_commit.h"

#include <algorithm>

namespace holdfast::store {

void GroupCommit::Reset(int64_t offset) {
  std::lock_guard lock(mu_);
  written_.store(offset, std::memory_order_release);
  flushed_.store(offset, std::memory_order_release);
}

bool GroupCommit::gathering() const {
  std::lock_guard lock(mu_);
  return gathering_;
}

Status GroupCommit::error() const {
  std::lock_guard lock(mu_);
  return error_;
}

void GroupCommit::LeadSync(std::unique_lock<std::mutex>& lock) {
  syncing_ = true;
  int64_t from = flushed_.load(std::memory_order_relaxed);
  int64_t to = written_.load(std::memory_order_acquire);
  lock.unlock();
  const auto started = SteadyClock::now();
  Status s = to > from ? sync_(from, to) : Status::Ok();
  const auto took = SteadyClock::now() - started;
  lock.lock();
  syncing_ = false;
  if (to > from) last_sync_ = took;
  bool advanced = false;
  if (!s.ok()) {
    error_ = s;
  } else if (to > flushed_.load(std::memory_order_relaxed)) {
    flushed_.store(to, std::memory_order_release);
    advanced = true;
  }
  cv_.notify_all();
  gather_target_ = RunCompletions(lock);
  if (!pending_.empty()) pending_cv_.notify_one();  // requests that came during this sync
  if (advanced && listener_) {
    lock.unlock();
    listener_(to);
    lock.lock();
  }
}

std::vector<std::pair<GroupCommit::Completion, Status>> GroupCommit::TakeFinishedLocked() {
  std::vector<std::pair<Completion, Status>> finished;
  if (pending_.empty()) return finished;
  const int64_t flushed = flushed_.load(std::memory_order_relaxed);
  const auto now = SteadyClock::now();
  auto keep = pending_.begin();
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    Status outcome;
    if (it->end <= flushed) {
      outcome = now > it->deadline ? Status::Timeout("flush completed after syncFlushTimeout")
                                   : Status::Ok();
    } else if (!error_.ok()) {
      outcome = error_;
    } else if (now > it->deadline) {
      outcome = Status::Timeout("flush did not complete within syncFlushTimeout");
    } else {
      if (keep != it) *keep = std::move(*it);
      ++keep;
      continue;
    }
    finished.emplace_back(std::move(it->done), std::move(outcome));
  }
  pending_.erase(keep, pending_.end());
  return finished;
}

size_t GroupCommit::RunCompletions(std::unique_lock<std::mutex>& lock) {
  auto finished = TakeFinishedLocked();
  const size_t outstanding = finished.size() + pending_.size();
  if (finished.empty()) return outstanding;
  lock.unlock();
  for (auto& [done, status] : finished) done(status);
  lock.lock();
  return outstanding;
}

void GroupCommit::Submit(int64_t end, SteadyClock::time_point deadline, Completion done) {
  {
    std::lock_guard lock(mu_);
    if (flushed_.load(std::memory_order_relaxed) < end && error_.ok()) {
      pending_.push_back({end, deadline, std::move(done)});
      if (!syncing_ && (!gathering_ || pending_.size() >= gather_target_)) {
        pending_cv_.notify_one();
      }
      return;
    }
  }
  Status outcome = error();
  done(outcome);
}

void GroupCommit::ServePending(std::chrono::milliseconds max_wait) {
  std::unique_lock lock(mu_);
  pending_cv_.wait_for(lock, max_wait, [this] { return !pending_.empty() && !syncing_; });
  RunCompletions(lock);  // expired or already covered
  if (pending_.empty() || syncing_) return;
  if (pending_.size() < gather_target_) Gather(lock);
  if (!pending_.empty() && !syncing_) LeadSync(lock);
}

void GroupCommit::Gather(std::unique_lock<std::mutex>& lock) {
  if (skip_gathers_ > 0) {
    --skip_gathers_;
    return;
  }
  const auto until =
      SteadyClock::now() + std::min<SteadyClock::duration>(last_sync_ / 2, max_gather_);
  gathering_ = true;
  bool timed_out = false;
  while (pending_.size() < gather_target_ && !syncing_ && error_.ok() && !timed_out) {
    timed_out = pending_cv_.wait_until(lock, until) == std::cv_status::timeout;
  }
  gathering_ = false;
  if (pending_.size() >= gather_target_) {
    gather_misses_ = 0;
  } else if (++gather_misses_ >= kGatherMissesToPause) {
    // The requests come back slower than a sync takes: syncing whatever is pending, one group
    // while the next forms, does better. Try again later, in case the load changed.
    gather_misses_ = 0;
    skip_gathers_ = kGathersSkippedAfterMisses;
  }
}

void GroupCommit::Fail(const Status& why) {
  {
    std::lock_guard lock(mu_);
    if (error_.ok()) error_ = why;
  }
  cv_.notify_all();
  pending_cv_.notify_all();
}

void GroupCommit::FailPending(const Status& why) {
  std::vector<Pending> failed;
  {
    std::lock_guard lock(mu_);
    failed.swap(pending_);
  }
  for (auto& p : failed) p.done(why);
}

Status GroupCommit::WaitFlushed(int64_t end, SteadyClock::time_point deadline) {
  std::unique_lock lock(mu_);
  while (flushed_.load(std::memory_order_relaxed) < end) {
    if (!error_.ok()) return error_;
    if (!syncing_) {
      LeadSync(lock);
      continue;
    }
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout &&
        flushed_.load(std::memory_order_relaxed) < end) {
      return Status::Timeout("flush did not complete within syncFlushTimeout");
    }
  }
  if (SteadyClock::now() > deadline) {
    return Status::Timeout("flush completed after syncFlushTimeout");
  }
  return Status::Ok();
}

Status GroupCommit::FlushAll() {
  std::unique_lock lock(mu_);
  int64_t target = written_.load(std::memory_order_acquire);
  while (flushed_.load(std::memory_order_relaxed) < target) {
    if (!error_.ok()) return error_;
    if (!syncing_) {
      LeadSync(lock);
    } else {
      cv_.wait(lock);
    }
  }
  return error_;
}

}  // namespace holdfast::store
