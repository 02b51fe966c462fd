// Part 1 of the cluster benchmark: the loopback network's and a thread hand-off's limits
// (limits/loopback_limits.h, limits/thread_handoff_limits.h), measured and printed.
#pragma once

#include <optional>
#include <ostream>

#include "tools/limits/loopback_limits.h"
#include "tools/limits/thread_handoff_limits.h"

namespace holdfast::tools::cluster_bench {

// What part 1 measured; a measurement that failed is absent.
struct LoopbackResult {
  std::optional<LoopbackPingPongStats> one;
  std::optional<LoopbackPingPongStats> many;
  std::optional<ThreadHandoffStats> handoff;
};

// Each measurement for `seconds`; false when one failed (its row says FAILED).
bool RunLoopback(double seconds, std::ostream& out, LoopbackResult* result);

}  // namespace holdfast::tools::cluster_bench
