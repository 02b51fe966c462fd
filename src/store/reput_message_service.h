// Builds consume-queue and index entries from the commit log in the background (RocketMQ's
// ReputMessageService): it reads records from its offset up to a limit and hands each to the
// dispatch function. The limit is what may be dispatched: under SYNC_FLUSH the flushed offset, so
// a consumer never sees a message that could vanish in a crash; under ASYNC_FLUSH the written one.
//
// Threads: one service thread calls dispatch. Offset() may be read from any thread. Wakeup() is
// called by the commit log after appends or flushes.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

#include "common/clock.h"
#include "common/service_thread.h"
#include "common/status.h"
#include "store/dispatch_request.h"
#include "store/mapped_file_queue.h"
#include "store/repeated_error_log.h"

namespace holdfast::store {

class ReputMessageService : public ServiceThread {
 public:
  using DispatchFn = std::function<Status(const DispatchRequest&)>;
  using LimitFn = std::function<int64_t()>;

  // `spin`: how long to keep looking for new records before sleeping (see Run); worth it only
  // when appends arrive continuously, i.e. under ASYNC_FLUSH.
  ReputMessageService(const MappedFileQueue* commit_log_files, LimitFn limit, DispatchFn dispatch,
                      int64_t start_offset, std::chrono::microseconds spin);
  ~ReputMessageService() override;

  // Every record below this offset has been dispatched.
  int64_t Offset() const { return offset_.load(std::memory_order_acquire); }
  // Blocks until Offset() >= offset or the deadline passes; true if reached.
  bool WaitForOffset(int64_t offset, SteadyClock::time_point deadline);

 protected:
  void Run() override;
  // Dispatches whatever is left below the limit once more, on the stopping thread.
  void OnShutdown() override { errors_.Note(DoReput()); }

 private:
  // After a failure the service tries again this much later (from the same record).
  static constexpr std::chrono::milliseconds kRetryInterval{10};

  // Dispatches what it can; the error that stopped it short of the limit, if one did.
  Status DoReput();

  const MappedFileQueue* const files_;
  const LimitFn limit_;
  const DispatchFn dispatch_;
  const std::chrono::microseconds spin_;
  std::atomic<int64_t> offset_;
  RepeatedErrorLog errors_{"reput"};  // service thread (the stopping thread after it)

  std::mutex progress_mu_;
  std::condition_variable progress_cv_;
};

}  // namespace holdfast::store
