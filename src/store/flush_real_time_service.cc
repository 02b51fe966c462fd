#include "store/flush_real_time_service.h"

#include <spdlog/spdlog.h>

namespace holdfast::store {

FlushRealTimeService::FlushRealTimeService(const MessageStoreConfig& config,
                                           GroupCommit* group_commit)
    : ServiceThread("FlushRealTime"),
      config_(config),
      group_commit_(group_commit),
      last_thorough_(std::chrono::steady_clock::now()) {}

FlushRealTimeService::~FlushRealTimeService() { Shutdown(); }

void FlushRealTimeService::Run() {
  WaitForRunning(std::chrono::milliseconds(config_.flush_interval_commit_log));
  auto now = std::chrono::steady_clock::now();
  bool thorough =
      now - last_thorough_ >= std::chrono::milliseconds(config_.flush_commit_log_thorough_interval);
  int64_t dirty = group_commit_->written() - group_commit_->flushed();
  if (dirty <= 0) return;
  if (!thorough && dirty < int64_t{config_.flush_commit_log_least_pages} * 4096) return;
  if (thorough) last_thorough_ = now;
  // A failed sync is sticky (GroupCommit), so the same error comes back every round.
  errors_.Note(group_commit_->FlushAll());
}

void FlushRealTimeService::OnShutdown() {
  Status s = group_commit_->FlushAll();
  if (!s.ok()) spdlog::error("commit log flush at shutdown failed: {}", s.ToString());
}

}  // namespace holdfast::store
