#include "common/service_thread.h"

#include <pthread.h>

namespace holdfast {

ServiceThread::~ServiceThread() {
  // Subclasses must call Shutdown() in their destructor; this only guards against a leaked thread.
  if (thread_.joinable()) {
    {
      std::lock_guard lock(mu_);
      stopped_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
}

void ServiceThread::Start() {
  {
    std::lock_guard lock(mu_);
    stopped_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
  pthread_setname_np(thread_.native_handle(), name_.substr(0, 15).c_str());
}

void ServiceThread::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (stopped_ && !thread_.joinable()) return;
    stopped_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    OnShutdown();
  }
}

void ServiceThread::Wakeup() {
  {
    std::lock_guard lock(mu_);
    notified_ = true;
  }
  cv_.notify_all();
}

bool ServiceThread::Stopped() const {
  std::lock_guard lock(mu_);
  return stopped_;
}

void ServiceThread::WaitForRunning(std::chrono::milliseconds interval) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, interval, [this] { return notified_ || stopped_; });
  notified_ = false;
}

void ServiceThread::Loop() {
  while (!Stopped()) Run();
}

}  // namespace holdfast
