// Group commit for the commit log: appenders that must not return before their bytes are durable
// share fdatasyncs. The first waiter that finds no sync running becomes the leader and syncs
// everything written so far, on its own thread; the others wait for it, and the next leader takes
// whatever accumulated meanwhile. So N concurrent appenders cost about one sync per round, and a
// lone appender pays one fdatasync with no hand-off to another thread.
//
// Asynchronous appenders (the broker's, which must not block a network thread on a disk) Submit a
// completion instead of waiting: whoever finishes a sync completes every request it covers, and
// GroupCommitService leads a sync whenever requests are pending and no one else is syncing.
//
// A failed sync is sticky: every later wait and flush returns that error, and the owner stops
// accepting appends, until the store is reopened and recovered.
//
// Thread safety: all methods may be called from any thread. The sync function is called with no
// lock held, by one thread at a time.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"

namespace holdfast::store {

class GroupCommit {
 public:
  // sync(from, to) must make the commit-log bytes [from, to) durable.
  using SyncFn = std::function<Status(int64_t from, int64_t to)>;
  // Called after the flushed offset advanced, with the new offset, with no lock held.
  using FlushListener = std::function<void(int64_t flushed)>;

  // max_gather: the longest ServePending gathers requests before it leads a sync.
  explicit GroupCommit(SyncFn sync, SteadyClock::duration max_gather = kMaxGather)
      : sync_(std::move(sync)), max_gather_(max_gather) {}

  void SetFlushListener(FlushListener listener) { listener_ = std::move(listener); }

  // Sets both offsets (after recovery made everything below `offset` durable).
  void Reset(int64_t offset);
  // The single writer reports that every byte below `written` has been written.
  void Advance(int64_t written) { written_.store(written, std::memory_order_release); }

  // Returns ok once every byte below `end` is durable and that happened by `deadline`; Timeout
  // otherwise; or the sticky sync error.
  Status WaitFlushed(int64_t end, SteadyClock::time_point deadline);
  using Completion = std::function<void(Status)>;
  // Calls done(ok) once every byte below `end` is durable, done(Timeout) if that happened after
  // `deadline` or the deadline passed first, or done(error) when a sync failed. done runs on the
  // thread that completed the sync, or on the caller's when `end` is durable already; it must be
  // quick and must not call back into this object.
  void Submit(int64_t end, SteadyClock::time_point deadline, Completion done);
  // For GroupCommitService: waits up to max_wait for pending requests while no sync runs, then
  // leads one sync (and fails requests whose deadline passed); callers loop.
  //
  // Before leading it gathers: it waits until as many requests are pending as were outstanding
  // when the last sync ended, for at most half that sync's time (and max_gather). Producers that
  // each keep one send in flight come back together after a sync; without the wait the first of
  // them starts a sync alone and the rest wait for the next one. Measured with 8 appends in flight:
  // 40-43k/s without, 45-48k/s with. When requests come back slower than that (many producers, or
  // a slow network), gathers time out; after kGatherMissesToPause in a row it syncs at once for
  // the next kGathersSkippedAfterMisses syncs, then tries again.
  void ServePending(std::chrono::milliseconds max_wait);
  static constexpr std::chrono::milliseconds kMaxGather{1};
  // After this many gathers in a row time out, that many syncs are led without gathering.
  static constexpr int kGatherMissesToPause = 4;
  static constexpr int kGathersSkippedAfterMisses = 256;
  // Fails every pending request with `why` (at shutdown, after a last flush).
  void FailPending(const Status& why);
  // Makes `why` the sticky error, as a failed sync does: for a write the owner could not complete
  // after it had already counted the bytes as written (Advance). Pending and later requests fail.
  void Fail(const Status& why);

  // Makes everything written so far durable. If a sync is already running, waits for it and
  // then syncs what is left.
  Status FlushAll();

  // True while ServePending waits for requests to gather.
  bool gathering() const;
  int64_t written() const { return written_.load(std::memory_order_acquire); }
  int64_t flushed() const { return flushed_.load(std::memory_order_acquire); }
  Status error() const;

 private:
  struct Pending {
    int64_t end;
    SteadyClock::time_point deadline;
    Completion done;
  };

  // Runs one sync as leader; lock is held on entry and exit, released during the sync and while
  // completions run.
  void LeadSync(std::unique_lock<std::mutex>& lock);
  // Removes the requests that are covered, failed or expired; the caller runs them unlocked.
  std::vector<std::pair<Completion, Status>> TakeFinishedLocked();
  // ServePending's wait for gather_target_ requests (see ServePending).
  void Gather(std::unique_lock<std::mutex>& lock);
  // Returns how many requests were outstanding when it took the finished ones: those plus the
  // ones still pending.
  size_t RunCompletions(std::unique_lock<std::mutex>& lock);

  const SyncFn sync_;
  const SteadyClock::duration max_gather_;
  FlushListener listener_;  // set before use, then constant

  std::atomic<int64_t> written_{0};
  std::atomic<int64_t> flushed_{0};  // written under mu_, read anywhere

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable pending_cv_;
  bool syncing_ = false;      // guarded by mu_
  bool gathering_ = false;    // guarded by mu_: ServePending waits for gather_target_
  size_t gather_target_ = 1;  // guarded by mu_: requests outstanding when the last sync ended
  SteadyClock::duration last_sync_{};  // guarded by mu_: how long the last sync took
  int gather_misses_ = 0;              // guarded by mu_: gathers in a row that timed out
  int skip_gathers_ = 0;               // guarded by mu_: syncs to lead without gathering
  Status error_;                       // guarded by mu_
  std::vector<Pending> pending_;       // guarded by mu_
};

}  // namespace holdfast::store
