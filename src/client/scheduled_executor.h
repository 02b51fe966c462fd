// ScheduledExecutor: runs tasks after a delay on one named thread (RocketMQ's
// ScheduledExecutorService as the consumers use it: pull later, consume later, lock renewal).
// Tasks must be short; long work is handed to a ThreadPool.
//
// Threads: one, started by the constructor, joined by Shutdown() (and the destructor).
// Schedule() is thread-safe and may be called from a task. Shutdown() discards tasks not yet due.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace holdfast::client {

class ScheduledExecutor {
 public:
  explicit ScheduledExecutor(std::string name);
  ~ScheduledExecutor();
  ScheduledExecutor(const ScheduledExecutor&) = delete;
  ScheduledExecutor& operator=(const ScheduledExecutor&) = delete;

  // False (dropped) after Shutdown().
  bool Schedule(std::chrono::milliseconds delay, std::function<void()> task);
  void Shutdown();

 private:
  using Clock = std::chrono::steady_clock;
  void Loop();

  // Constant after construction.
  const std::string name_;

  std::mutex mu_;
  std::condition_variable cv_;
  // guarded by mu_: due time and a sequence number (FIFO among equal times)
  std::map<std::pair<Clock::time_point, uint64_t>, std::function<void()>> tasks_;
  uint64_t seq_ = 0;      // guarded by mu_
  bool stopped_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace holdfast::client
