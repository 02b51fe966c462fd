// Part 4 of the cluster benchmark: the Redis peer (limits/redis_peer.h), XADD with kProducers
// clients and with 1, each run sized by a short pilot run to last about the case's seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>

#include "tools/bench/cluster/cluster_benchmark.h"
#include "tools/limits/redis_peer.h"

namespace holdfast::tools::cluster_bench {

// What part 4 measured; a run that failed or was skipped is absent.
struct RedisRun {
  std::optional<RedisBenchmarkResult> many;
  std::optional<RedisBenchmarkResult> one;
  int64_t requests_many = 0;
  int64_t requests_one = 0;
};

// Prints the part, or that it was skipped (o.skip_redis); false when Redis could not start or a
// run failed.
bool RunRedis(const ClusterBenchmarkOptions& o, std::ostream& out, RedisRun* run);

}  // namespace holdfast::tools::cluster_bench
