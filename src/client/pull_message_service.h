// PullMessageService (RocketMQ's): the thread that starts every pull of a push consumer. Pull
// requests wait in a queue; the thread hands each to the consumer's pull function, which sends
// PULL_MESSAGE asynchronously and re-queues the request from the response callback (at once, or
// later through ExecutePullRequestLater for flow control and errors).
//
// Threads: one, "PullMessageService", owned here. Every method is thread-safe; the pull function
// runs on that thread and must not block for long (it may connect). After Shutdown() requests
// are dropped. The scheduler must outlive this object.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "client/pull_request.h"
#include "client/scheduled_executor.h"

namespace holdfast::client {

class PullMessageService {
 public:
  using PullFunction = std::function<void(PullRequest)>;

  PullMessageService(PullFunction pull, ScheduledExecutor* scheduler);
  ~PullMessageService();
  PullMessageService(const PullMessageService&) = delete;
  PullMessageService& operator=(const PullMessageService&) = delete;

  void Start();
  // Stops the thread; queued requests are dropped. Idempotent.
  void Shutdown();

  void ExecutePullRequestImmediately(PullRequest request);
  void ExecutePullRequestLater(PullRequest request, std::chrono::milliseconds delay);

 private:
  void Loop();

  // Constant after construction.
  const PullFunction pull_;
  ScheduledExecutor* const scheduler_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<PullRequest> queue_;  // guarded by mu_
  bool stopped_ = false;           // guarded by mu_
  std::thread thread_;
};

}  // namespace holdfast::client
