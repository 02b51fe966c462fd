// ThreadPool: a fixed number of named threads running submitted tasks in submission order (the
// consume threads of a push consumer, RocketMQ's consumeExecutor).
//
// Threads: `threads` of them, started by the constructor, joined by Shutdown() (and the
// destructor). Submit() is thread-safe and may be called from a task. Shutdown() lets running
// tasks finish, discards the queued ones and returns once every thread has exited; a task must
// therefore not wait for the pool's own shutdown.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace holdfast::client {

class ThreadPool {
 public:
  ThreadPool(std::string name, int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // False (the task is dropped) after Shutdown().
  bool Submit(std::function<void()> task);
  void Shutdown();
  size_t QueueSize() const;

 private:
  void Loop();

  // Constant after construction.
  const std::string name_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  bool stopped_ = false;                     // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace holdfast::client
