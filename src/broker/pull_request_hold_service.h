// PullRequestHoldService: RocketMQ's long polling (apache/rocketmq:
// broker/.../longpolling/PullRequestHoldService.java; docs/protocol.md §8.8). A pull that found
// nothing new (PULL_NOT_FOUND) and was sent with the SUSPEND bit is parked here per topic@queueId
// instead of being answered. It is handed back to `rerun` once the queue's max offset passes the
// offset it asked for (and, when the arrival's tags code is known, that code passes the request's
// filter), or once its deadline has passed; `rerun` then answers it (or parks it again when the new
// messages did not match its filter and the deadline is still ahead).
//
// How arrivals are noticed: the store's MessageArrivingListener calls NotifyMessageArriving (on
// the store's reput thread), which records the arrival and wakes this service; the parked requests
// of that queue are re-run at once. As in RocketMQ a slow fallback scan (kFallbackScanInterval,
// 5 s) also compares every parked queue with the store's max offset, and the service wakes at the
// earliest deadline. Parked requests whose connection has closed are dropped.
//
// Threads: one, "PullRequestHoldService", which also runs `rerun` (a store read, no waiting).
// Hold() and NotifyMessageArriving() may be called from any thread and never block on a store
// read. Lifecycle: construct, Start(), ..., Shutdown() (joins; requests still parked are dropped
// unanswered, as in RocketMQ).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
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
  // The tag hash codes of its TAG filter; empty: every message matches.
  std::vector<int64_t> tags_codes;
  std::chrono::steady_clock::time_point deadline;
};

class PullRequestHoldService : public ServiceThread {
 public:
  static constexpr std::chrono::milliseconds kFallbackScanInterval{5000};

  using Rerun = std::function<void(PullRequest request)>;

  // `store` must outlive the service.
  PullRequestHoldService(const store::MessageStore* store, Rerun rerun);
  ~PullRequestHoldService() override;

  void Hold(PullRequest request);

  // A message reached topic/queue_id: its new max offset and tags code.
  void NotifyMessageArriving(std::string_view topic, int32_t queue_id, int64_t max_offset,
                             int64_t tags_code);

  // How many requests are parked now (for tests and metrics).
  size_t HeldCount() const;

 protected:
  void Run() override;

 private:
  struct Arrival {
    int64_t max_offset = 0;
    std::vector<int64_t> tags_codes;  // of the messages that arrived since the last round
    bool any_tag = false;             // tags unknown (seen by Hold's own check): match all
  };

  // Removes and returns the requests that are due: data arrived (by notification, or by the
  // store's max offset when `full_scan`) or deadline passed.
  std::vector<PullRequest> TakeDue(bool full_scan);
  // How long to sleep: until the earliest deadline, at most until the next fallback scan.
  std::chrono::milliseconds NextWait(std::chrono::steady_clock::time_point now) const;

  // Constant after construction.
  const store::MessageStore* const store_;
  const Rerun rerun_;

  mutable std::mutex mu_;
  // "topic@queueId" -> parked requests, oldest first. Guarded by mu_.
  std::map<std::string, std::vector<PullRequest>, std::less<>> table_;
  // Arrivals on parked queues not yet acted on. Guarded by mu_.
  std::map<std::string, Arrival, std::less<>> arrivals_;

  // Hold thread only.
  std::chrono::steady_clock::time_point next_full_scan_;
};

}  // namespace holdfast::broker
