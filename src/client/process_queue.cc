#include "client/process_queue.h"

#include <algorithm>

namespace holdfast::client {

ProcessQueue::ProcessQueue() {
  auto now = std::chrono::steady_clock::now();
  last_pull_time_ = now;
  last_consume_time_ = now;
  last_lock_time_ = now;
}

bool ProcessQueue::PutMessages(const std::vector<MQMessageExt>& msgs) {
  std::lock_guard lock(mu_);
  for (const MQMessageExt& msg : msgs) {
    if (consuming_.count(msg.queue_offset) != 0) continue;
    auto [it, inserted] = msgs_.emplace(msg.queue_offset, msg);
    if (!inserted) continue;
    ++msg_count_;
    msg_size_ += static_cast<int64_t>(msg.body.size());
    queue_offset_max_ = std::max(queue_offset_max_, msg.queue_offset);
  }
  if (!msgs_.empty() && !consuming_flag_) {
    consuming_flag_ = true;
    return true;
  }
  return false;
}

int64_t ProcessQueue::RemoveMessages(const std::vector<MQMessageExt>& msgs) {
  std::lock_guard lock(mu_);
  last_consume_time_ = std::chrono::steady_clock::now();
  if (msgs_.empty()) return -1;
  for (const MQMessageExt& msg : msgs) {
    auto it = msgs_.find(msg.queue_offset);
    if (it == msgs_.end()) continue;
    --msg_count_;
    msg_size_ -= static_cast<int64_t>(it->second.body.size());
    msgs_.erase(it);
    consume_start_.erase(msg.queue_offset);
  }
  return msgs_.empty() ? queue_offset_max_ + 1 : msgs_.begin()->first;
}

std::vector<MQMessageExt> ProcessQueue::TakeMessages(int batch_size) {
  std::lock_guard lock(mu_);
  last_consume_time_ = std::chrono::steady_clock::now();
  std::vector<MQMessageExt> out;
  while (static_cast<int>(out.size()) < batch_size && !msgs_.empty()) {
    auto node = msgs_.extract(msgs_.begin());
    out.push_back(node.mapped());
    consuming_.insert(std::move(node));
  }
  if (out.empty()) consuming_flag_ = false;
  return out;
}

int64_t ProcessQueue::Commit() {
  std::lock_guard lock(mu_);
  if (consuming_.empty()) return -1;
  int64_t offset = consuming_.rbegin()->first + 1;
  for (const auto& entry : consuming_) {
    --msg_count_;
    msg_size_ -= static_cast<int64_t>(entry.second.body.size());
  }
  consuming_.clear();
  return offset;
}

void ProcessQueue::MakeMessageToConsumeAgain(const std::vector<MQMessageExt>& msgs) {
  std::lock_guard lock(mu_);
  for (const MQMessageExt& msg : msgs) {
    if (consuming_.erase(msg.queue_offset) == 0) continue;
    msgs_.insert_or_assign(msg.queue_offset, msg);  // keeps the caller's reconsume_times
  }
}

void ProcessQueue::Rollback() {
  std::lock_guard lock(mu_);
  msgs_.merge(consuming_);
  consuming_.clear();
}

void ProcessQueue::MarkConsumeStart(const std::vector<MQMessageExt>& msgs, SteadyTime now) {
  std::lock_guard lock(mu_);
  for (const MQMessageExt& msg : msgs) {
    if (msgs_.count(msg.queue_offset) != 0) consume_start_[msg.queue_offset] = now;
  }
}

std::optional<MQMessageExt> ProcessQueue::ExpiredFirstMessage(std::chrono::milliseconds timeout,
                                                              SteadyTime now) const {
  std::lock_guard lock(mu_);
  if (msgs_.empty()) return std::nullopt;
  auto started = consume_start_.find(msgs_.begin()->first);
  if (started == consume_start_.end() || now - started->second <= timeout) return std::nullopt;
  return msgs_.begin()->second;
}

void ProcessQueue::Clear() {
  std::lock_guard lock(mu_);
  msgs_.clear();
  consume_start_.clear();
  consuming_.clear();
  msg_count_ = 0;
  msg_size_ = 0;
}

int64_t ProcessQueue::MsgCount() const {
  std::lock_guard lock(mu_);
  return msg_count_;
}

int64_t ProcessQueue::MsgSize() const {
  std::lock_guard lock(mu_);
  return msg_size_;
}

int64_t ProcessQueue::MaxSpan() const {
  std::lock_guard lock(mu_);
  if (msgs_.empty()) return 0;
  return msgs_.rbegin()->first - msgs_.begin()->first;
}

int64_t ProcessQueue::MinOffset() const {
  std::lock_guard lock(mu_);
  return msgs_.empty() ? -1 : msgs_.begin()->first;
}

bool ProcessQueue::HasTempMessage() const {
  std::lock_guard lock(mu_);
  return !msgs_.empty();
}

void ProcessQueue::set_last_lock_time(SteadyTime t) {
  std::lock_guard lock(mu_);
  last_lock_time_ = t;
}

bool ProcessQueue::IsLockExpired() const {
  std::lock_guard lock(mu_);
  return std::chrono::steady_clock::now() - last_lock_time_ > kRebalanceLockMaxLiveTime;
}

void ProcessQueue::set_last_pull_time(SteadyTime t) {
  std::lock_guard lock(mu_);
  last_pull_time_ = t;
}

ProcessQueue::SteadyTime ProcessQueue::last_pull_time() const {
  std::lock_guard lock(mu_);
  return last_pull_time_;
}

bool ProcessQueue::IsPullExpired() const {
  std::lock_guard lock(mu_);
  return std::chrono::steady_clock::now() - last_pull_time_ > kPullMaxIdleTime;
}

void ProcessQueue::set_last_consume_time(SteadyTime t) {
  std::lock_guard lock(mu_);
  last_consume_time_ = t;
}

ProcessQueue::SteadyTime ProcessQueue::last_consume_time() const {
  std::lock_guard lock(mu_);
  return last_consume_time_;
}

}  // namespace holdfast::client
