#include "broker/pull_request_hold_service.h"

namespace holdfast::broker {

using namespace std::chrono_literals;

namespace {

constexpr auto kIdleInterval = 1000ms;

std::string BuildKey(const std::string& topic, int32_t queue_id) {
  return topic + "@" + std::to_string(queue_id);
}

}  // namespace

PullRequestHoldService::PullRequestHoldService(const store::MessageStore* store, Rerun rerun)
    : ServiceThread("PullRequestHoldService"), store_(store), rerun_(std::move(rerun)) {}

PullRequestHoldService::~PullRequestHoldService() { Shutdown(); }

void PullRequestHoldService::Hold(PullRequest request) {
  {
    std::lock_guard lock(mu_);
    table_[BuildKey(request.topic, request.queue_id)].push_back(std::move(request));
  }
  Wakeup();
}

size_t PullRequestHoldService::HeldCount() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [key, requests] : table_) n += requests.size();
  return n;
}

void PullRequestHoldService::Run() {
  bool idle;
  {
    std::lock_guard lock(mu_);
    idle = table_.empty();
  }
  WaitForRunning(idle ? kIdleInterval : kCheckInterval);
  if (Stopped()) return;
  for (PullRequest& request : TakeDue()) rerun_(std::move(request));
}

std::vector<PullRequest> PullRequestHoldService::TakeDue() {
  const auto now = std::chrono::steady_clock::now();
  std::vector<PullRequest> due;
  std::lock_guard lock(mu_);
  for (auto it = table_.begin(); it != table_.end();) {
    std::vector<PullRequest>& requests = it->second;
    const int64_t max_offset =
        store_->GetMaxOffsetInQueue(requests.front().topic, requests.front().queue_id);
    std::vector<PullRequest> keep;
    for (PullRequest& r : requests) {
      if (r.writer.connection() == nullptr) continue;  // the client went away
      if (max_offset > r.pull_from_offset || now >= r.deadline) {
        due.push_back(std::move(r));
      } else {
        keep.push_back(std::move(r));
      }
    }
    if (keep.empty()) {
      it = table_.erase(it);
    } else {
      requests = std::move(keep);
      ++it;
    }
  }
  return due;
}

}  // namespace holdfast::broker
