#include "store/group_commit.h"

#include <algorithm>

namespace holdfast::store {

void GroupCommit::Reset(int64_t offset) {
  std::lock_guard lock(mu_);
  written_.store(offset, std::memory_order_release);
  flushed_.store(offset, std::memory_order_release);
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
  Status s = to > from ? sync_(from, to) : Status::Ok();
  lock.lock();
  syncing_ = false;
  bool advanced = false;
  if (!s.ok()) {
    error_ = s;
  } else if (to > flushed_.load(std::memory_order_relaxed)) {
    flushed_.store(to, std::memory_order_release);
    advanced = true;
  }
  cv_.notify_all();
  if (advanced && listener_) {
    lock.unlock();
    listener_(to);
    lock.lock();
  }
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
