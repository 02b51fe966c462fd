#include "store/reput_message_service.h"

#include <fmt/format.h>

#include <thread>

#include "store/commit_log_reader.h"

namespace holdfast::store {

ReputMessageService::ReputMessageService(const MappedFileQueue* commit_log_files, LimitFn limit,
                                         DispatchFn dispatch, int64_t start_offset,
                                         std::chrono::microseconds spin)
    : ServiceThread("ReputMessage"),
      files_(commit_log_files),
      limit_(std::move(limit)),
      dispatch_(std::move(dispatch)),
      spin_(spin),
      offset_(start_offset) {}

ReputMessageService::~ReputMessageService() { Shutdown(); }

bool ReputMessageService::WaitForOffset(int64_t offset, SteadyClock::time_point deadline) {
  std::unique_lock lock(progress_mu_);
  return progress_cv_.wait_until(lock, deadline, [&] { return Offset() >= offset; });
}

void ReputMessageService::Run() {
  Status s = DoReput();
  errors_.Note(s);
  if (!s.ok()) {
    // The record stays undispatched (consumers wait for it); try again a little later, rather
    // than spinning on a failing disk.
    WaitForRunning(kRetryInterval);
    return;
  }
  // Under a steady stream of appends, look again for a few microseconds before sleeping: waking
  // this thread for every append would cost the appenders a futex call each.
  auto spin_until = SteadyClock::now() + spin_;
  while (limit_() <= Offset()) {
    if (SteadyClock::now() > spin_until || Stopped()) {
      WaitForRunning(std::chrono::milliseconds(10));
      return;
    }
    std::this_thread::yield();
  }
}

Status ReputMessageService::DoReput() {
  int64_t limit = limit_();
  int64_t from = Offset();
  if (from >= limit) return Status::Ok();
  CommitLogReader reader(files_, from, limit, false);
  MessageView record;
  Status error;
  int64_t done = from;
  while (true) {
    CommitLogReader::Kind kind = reader.Next(&record, &error);
    if (kind == CommitLogReader::Kind::kError) {
      error = Status::IoError(fmt::format("reput stopped at commit-log offset {}: {}",
                                          reader.position(), error.ToString()));
      break;
    }
    if (kind == CommitLogReader::Kind::kEnd) {
      done = reader.position();
      break;
    }
    Status s = dispatch_(MakeDispatchRequest(record));
    if (!s.ok()) {
      error = Status::IoError(fmt::format("dispatch of commit-log offset {} failed, will retry: {}",
                                          record.commit_log_offset, s.ToString()));
      break;
    }
    done = reader.position();
    // Publish progress as we go so long scans do not hold consumers back.
    offset_.store(done, std::memory_order_release);
  }
  // Blank markers between `done` and the limit are skipped by the next reader too.
  if (done > Offset()) offset_.store(done, std::memory_order_release);
  { std::lock_guard lock(progress_mu_); }
  progress_cv_.notify_all();
  return error;
}

}  // namespace holdfast::store
