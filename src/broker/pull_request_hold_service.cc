#include "broker/pull_request_hold_service.h"

#include <algorithm>

namespace holdfast::broker {

using namespace std::chrono_literals;

namespace {

std::string BuildKey(std::string_view topic, int32_t queue_id) {
  std::string key(topic);
  key += '@';
  key += std::to_string(queue_id);
  return key;
}

bool Matches(const PullRequest& r, bool any_tag, const std::vector<int64_t>& arrived_codes) {
  if (r.tags_codes.empty() || any_tag) return true;
  for (int64_t code : arrived_codes) {
    if (std::find(r.tags_codes.begin(), r.tags_codes.end(), code) != r.tags_codes.end()) {
      return true;
    }
  }
  return false;
}

}  // namespace

PullRequestHoldService::PullRequestHoldService(const store::MessageStore* store, Rerun rerun)
    : ServiceThread("PullRequestHoldService"),
      store_(store),
      rerun_(std::move(rerun)),
      next_full_scan_(std::chrono::steady_clock::now() + kFallbackScanInterval) {}

PullRequestHoldService::~PullRequestHoldService() { Shutdown(); }

void PullRequestHoldService::Hold(PullRequest request) {
  const std::string key = BuildKey(request.topic, request.queue_id);
  const std::string topic = request.topic;
  const int32_t queue_id = request.queue_id;
  const int64_t from = request.pull_from_offset;
  {
    std::lock_guard lock(mu_);
    table_[key].push_back(std::move(request));
  }
  // A message dispatched between the pull's store read and the insert above found no parked
  // request to notify; catch it here (the insert is visible to every later notification).
  const int64_t max_offset = store_->GetMaxOffsetInQueue(topic, queue_id);
  if (max_offset > from) {
    std::lock_guard lock(mu_);
    Arrival& a = arrivals_[key];
    a.max_offset = std::max(a.max_offset, max_offset);
    a.any_tag = true;
  }
  // Re-plan the sleep: this request's deadline may be the earliest.
  Wakeup();
}

void PullRequestHoldService::NotifyMessageArriving(std::string_view topic, int32_t queue_id,
                                                   int64_t max_offset, int64_t tags_code) {
  {
    std::lock_guard lock(mu_);
    if (table_.empty()) return;
    std::string key = BuildKey(topic, queue_id);
    if (!table_.contains(key)) return;
    Arrival& a = arrivals_[key];
    a.max_offset = std::max(a.max_offset, max_offset);
    if (std::find(a.tags_codes.begin(), a.tags_codes.end(), tags_code) == a.tags_codes.end()) {
      a.tags_codes.push_back(tags_code);
    }
  }
  Wakeup();
}

size_t PullRequestHoldService::HeldCount() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [key, requests] : table_) n += requests.size();
  return n;
}

std::chrono::milliseconds PullRequestHoldService::NextWait(
    std::chrono::steady_clock::time_point now) const {
  auto until = next_full_scan_;
  {
    std::lock_guard lock(mu_);
    if (!arrivals_.empty()) return 0ms;
    for (const auto& [key, requests] : table_) {
      for (const PullRequest& r : requests) until = std::min(until, r.deadline);
    }
  }
  if (until <= now) return 0ms;
  // Round up so the wake-up is not a hair before the deadline.
  return std::chrono::ceil<std::chrono::milliseconds>(until - now);
}

void PullRequestHoldService::Run() {
  const std::chrono::milliseconds wait = NextWait(std::chrono::steady_clock::now());
  if (wait > 0ms) WaitForRunning(wait);
  if (Stopped()) return;
  const auto now = std::chrono::steady_clock::now();
  const bool full_scan = now >= next_full_scan_;
  if (full_scan) next_full_scan_ = now + kFallbackScanInterval;
  for (PullRequest& request : TakeDue(full_scan)) rerun_(std::move(request));
}

std::vector<PullRequest> PullRequestHoldService::TakeDue(bool full_scan) {
  const auto now = std::chrono::steady_clock::now();
  std::vector<PullRequest> due;
  std::lock_guard lock(mu_);
  std::map<std::string, Arrival, std::less<>> arrivals;
  arrivals.swap(arrivals_);
  for (auto it = table_.begin(); it != table_.end();) {
    std::vector<PullRequest>& requests = it->second;
    auto arrived = arrivals.find(it->first);
    int64_t scanned_max = -1;
    if (full_scan) {
      scanned_max = store_->GetMaxOffsetInQueue(requests.front().topic, requests.front().queue_id);
    }
    std::vector<PullRequest> keep;
    for (PullRequest& r : requests) {
      if (r.writer.connection() == nullptr) continue;  // the client went away
      const bool notified = arrived != arrivals.end() &&
                            arrived->second.max_offset > r.pull_from_offset &&
                            Matches(r, arrived->second.any_tag, arrived->second.tags_codes);
      if (notified || scanned_max > r.pull_from_offset || now >= r.deadline) {
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
