#include "client/thread_pool.h"

#include <pthread.h>

#include <algorithm>

namespace holdfast::client {

ThreadPool::ThreadPool(std::string name, int threads) : name_(std::move(name)) {
  for (int i = 0; i < std::max(threads, 1); ++i) {
    threads_.emplace_back([this, i] {
      std::string thread_name = (name_ + std::to_string(i)).substr(0, 15);
      pthread_setname_np(pthread_self(), thread_name.c_str());
      Loop();
    });
  }
}

ThreadPool::~ThreadPool() { Shutdown(); }

bool ThreadPool::Submit(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return false;
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

void ThreadPool::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (stopped_ && threads_.empty()) return;
    stopped_ = true;
    tasks_.clear();
  }
  cv_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

size_t ThreadPool::QueueSize() const {
  std::lock_guard lock(mu_);
  return tasks_.size();
}

void ThreadPool::Loop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopped_ || !tasks_.empty(); });
      if (stopped_) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

}  // namespace holdfast::client
