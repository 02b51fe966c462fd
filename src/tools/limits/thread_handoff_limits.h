// The cost of handing work from one thread to another on this machine: two threads taking turns
// through a mutex and a condition variable, each waking the other, as a broker's network thread
// and its store's sync thread, or a client's network thread and a producer blocked in a
// synchronous send, hand a request or its answer over. A send through a broker crosses such a
// hand-off several times, so on a machine where a wake-up takes tens of microseconds (virtual
// machines, whose wake-ups cost an interrupt between virtual CPUs) these figures, not the disk or
// the network, bound what many producers with one send outstanding each can reach. (The CPU
// a process used, for the same reckoning, is ReadProcessCpuSeconds in bench/process_stats.h.)
//
// Threads: MeasureThreadHandoff starts one partner thread and joins it before it returns. Any
// thread may call it.
#pragma once

#include <cstdint>

#include "common/status.h"
#include "tools/latency_recorder.h"

namespace holdfast::tools {

struct ThreadHandoffOptions {
  double seconds = 1.0;  // measured time
  // When positive, stop after this many hand-offs even before `seconds`.
  int64_t handoffs = 0;
};

struct ThreadHandoffStats {
  uint64_t handoffs = 0;  // one thread waking the other, both directions counted
  double seconds = 0;
  double handoffs_per_sec = 0;
  LatencySummary latency;  // notify -> the woken thread runs, each hand-off
};

// InvalidArgument when seconds is not positive.
[[nodiscard]] Result<ThreadHandoffStats> MeasureThreadHandoff(const ThreadHandoffOptions& options);

}  // namespace holdfast::tools
