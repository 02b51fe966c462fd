#include "client/scheduled_executor.h"

#include <pthread.h>

namespace holdfast::client {

ScheduledExecutor::ScheduledExecutor(std::string name) : name_(std::move(name)) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), name_.substr(0, 15).c_str());
    Loop();
  });
}

ScheduledExecutor::~ScheduledExecutor() { Shutdown(); }

bool ScheduledExecutor::Schedule(std::chrono::milliseconds delay, std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return false;
    tasks_.emplace(std::make_pair(Clock::now() + delay, seq_++), std::move(task));
  }
  cv_.notify_one();
  return true;
}

void ScheduledExecutor::Shutdown() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    tasks_.clear();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ScheduledExecutor::Loop() {
  std::unique_lock lock(mu_);
  while (!stopped_) {
    if (tasks_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto due = tasks_.begin()->first.first;
    if (Clock::now() < due) {
      cv_.wait_until(lock, due);
      continue;
    }
    auto node = tasks_.extract(tasks_.begin());
    lock.unlock();
    node.mapped()();
    lock.lock();
  }
}

}  // namespace holdfast::client
