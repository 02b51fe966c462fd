// A named background job with start / shutdown / wakeup, after RocketMQ's ServiceThread.
//
// Threads: one, owned by the instance, named after the service. Run() is called repeatedly on that
// thread until Shutdown(); it should call WaitForRunning(interval) between rounds, which returns
// early on Wakeup() or Shutdown(). Start() and Shutdown() are called from one controlling thread;
// Wakeup() and Stopped() from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace holdfast {

class ServiceThread {
 public:
  explicit ServiceThread(std::string name) : name_(std::move(name)) {}
  virtual ~ServiceThread();
  ServiceThread(const ServiceThread&) = delete;
  ServiceThread& operator=(const ServiceThread&) = delete;

  void Start();
  // Stops the loop and joins; OnShutdown() then runs on the caller's thread. Idempotent.
  void Shutdown();
  void Wakeup();
  bool Stopped() const;
  const std::string& name() const { return name_; }

 protected:
  // One round of work. Must return promptly once Stopped() is true.
  virtual void Run() = 0;
  // Final work after the thread has stopped (for example a last flush).
  virtual void OnShutdown() {}
  // Sleeps until interval passes, Wakeup() or Shutdown(), whichever is first. A Wakeup() that came
  // since the last wait returns at once, so no wakeup is lost.
  void WaitForRunning(std::chrono::milliseconds interval);

 private:
  void Loop();

  const std::string name_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false;   // guarded by mu_
  bool notified_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace holdfast
