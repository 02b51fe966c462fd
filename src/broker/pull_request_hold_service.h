// PullRequestHoldService: RocketMQ's long polling (apache/rocketmq:
// broker/.../longpolling/PullRequestHoldService.java; sheet 8.8). A pull that found nothing new
// (PULL_NOT_FOUND) and was sent with the SUSPEND bit is parked here per topic@queueId instead of
// being answered. It is handed back to `rerun` once the queue's max offset passes the offset it
// asked for, or once its deadline has passed; `rerun` then answers it (or parks it again when the
// new messages did not match its filter and the deadline is still ahead).
//
// How arrivals are noticed: the store has no "message arriving" hook yet, so the service checks
// GetMaxOffsetInQueue of every queue with parked requests every kCheckInterval (5 ms); with nothing
// parked it sleeps until Hold() wakes it. Parked requests whose connection has closed are dropped.
//
// Threads: one, "PullRequestHoldService", which also runs `rerun` (a store read, no waiting).
// Hold() may be called from any thread. Lifecycle: construct, Start(), ..., Shutdown() (joins;
// requests still parked are dropped unanswered, as in RocketMQ).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/service_thread.h"
#include "remoting/remoting_command.h"
#include "remoting/response_writer.h"
#include "store/message_store.h"

namespace holdfast::broker {

// One parked pull.
struct PullRequest {
  remoting::RemotingCommand request;
  remoting::ResponseWriter writer;
  std::string topic;
  int32_t queue_id = 0;
  int64_t pull_from_offset = 0;
  std::chrono::steady_clock::time_point deadline;
};

class PullRequestHoldService : public ServiceThread {
 public:
  static constexpr std::chrono::milliseconds kCheckInterval{5};

  using Rerun = std::function<void(PullRequest request)>;

  // `store` must outlive the service.
  PullRequestHoldService(const store::MessageStore* store, Rerun rerun);
  ~PullRequestHoldService() override;

  void Hold(PullRequest request);

  // How many requests are parked now (for tests and metrics).
  size_t HeldCount() const;

 protected:
  void Run() override;

 private:
  // Removes and returns the requests that are due: data arrived or deadline passed.
  std::vector<PullRequest> TakeDue();

  // Constant after construction.
  const store::MessageStore* const store_;
  const Rerun rerun_;

  mutable std::mutex mu_;
  // "topic@queueId" -> parked requests, oldest first. Guarded by mu_.
  std::map<std::string, std::vector<PullRequest>> table_;
};

}  // namespace holdfast::broker
