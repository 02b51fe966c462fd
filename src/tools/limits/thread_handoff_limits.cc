#include "tools/limits/thread_handoff_limits.h"

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace holdfast::tools {

namespace {

using Clock = std::chrono::steady_clock;

// The baton two threads pass back and forth: `turn` says whose it is, `sent` when it was passed.
struct Baton {
  std::mutex mu;
  std::condition_variable cv;
  int turn = 0;  // guarded by mu: 0 or 1, the thread that may run; -1: stop
  Clock::time_point sent;
};

// Plays side `me` until the other side or the limits stop it; records each wake-up's latency.
void Play(Baton* b, int me, Clock::time_point deadline, int64_t limit, uint64_t* count,
          LatencyRecorder* latency) {
  std::unique_lock lock(b->mu);
  while (true) {
    b->cv.wait(lock, [&] { return b->turn == me || b->turn < 0; });
    if (b->turn < 0) return;
    const Clock::time_point now = Clock::now();
    latency->Record(now - b->sent);  // every pass here was a hand-off from the other side
    ++*count;
    if (now >= deadline || (limit > 0 && static_cast<int64_t>(*count) >= limit)) {
      b->turn = -1;
      b->cv.notify_all();
      return;
    }
    b->turn = 1 - me;
    b->sent = Clock::now();
    b->cv.notify_all();
  }
}

}  // namespace

Result<ThreadHandoffStats> MeasureThreadHandoff(const ThreadHandoffOptions& options) {
  if (!(options.seconds > 0)) {
    return Status::InvalidArgument(fmt::format("seconds {} is not positive", options.seconds));
  }
  Baton baton;
  uint64_t count = 0;  // guarded by baton.mu: both sides count into it
  LatencyRecorder latency;
  latency.Reserve(1 << 20);
  const Clock::time_point start = Clock::now();
  const Clock::time_point deadline = start + std::chrono::duration_cast<Clock::duration>(
                                                 std::chrono::duration<double>(options.seconds));
  std::thread partner([&] { Play(&baton, 1, deadline, options.handoffs, &count, &latency); });
  {
    std::lock_guard lock(baton.mu);
    baton.sent = Clock::now();
    baton.turn = 1;  // the first hand-off: to the partner
  }
  baton.cv.notify_all();
  Play(&baton, 0, deadline, options.handoffs, &count, &latency);
  partner.join();

  ThreadHandoffStats stats;
  stats.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  stats.latency = latency.Summarize();
  stats.handoffs = stats.latency.count;
  stats.handoffs_per_sec =
      stats.seconds > 0 ? static_cast<double>(stats.handoffs) / stats.seconds : 0;
  return stats;
}

}  // namespace holdfast::tools
