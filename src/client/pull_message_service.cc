#include "client/pull_message_service.h"

#include <pthread.h>

namespace holdfast::client {

PullMessageService::PullMessageService(PullFunction pull, ScheduledExecutor* scheduler)
    : pull_(std::move(pull)), scheduler_(scheduler) {}

PullMessageService::~PullMessageService() { Shutdown(); }

void PullMessageService::Start() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "PullMessageSvc");
    Loop();
  });
}

void PullMessageService::Shutdown() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PullMessageService::ExecutePullRequestImmediately(PullRequest request) {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    queue_.push_back(std::move(request));
  }
  cv_.notify_one();
}

void PullMessageService::ExecutePullRequestLater(PullRequest request,
                                                 std::chrono::milliseconds delay) {
  scheduler_->Schedule(delay, [this, request = std::move(request)]() mutable {
    ExecutePullRequestImmediately(std::move(request));
  });
}

void PullMessageService::Loop() {
  for (;;) {
    PullRequest request;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopped_ || !queue_.empty(); });
      if (stopped_) return;
      request = std::move(queue_.front());
      queue_.pop_front();
    }
    pull_(std::move(request));
  }
}

}  // namespace holdfast::client
