// redis-benchmark's figures from its --csv output (redis-benchmark 7), for the Redis peer.
#pragma once

#include <string_view>

#include "common/status.h"

namespace holdfast::tools {

// One redis-benchmark test line (redis-benchmark 7 --csv).
struct RedisBenchmarkResult {
  double requests_per_second = 0;  // rps
  double avg_latency_ms = 0;
  double p50_latency_ms = 0;
  double p99_latency_ms = 0;
  double max_latency_ms = 0;
};

// Reads redis-benchmark 7's --csv output: a header line naming the columns ("test","rps",
// "avg_latency_ms",...,"p50_latency_ms",...), then one line per test; the first test is returned.
// InvalidArgument naming what is missing when the header lacks a column or no test line follows.
Result<RedisBenchmarkResult> ParseRedisBenchmarkCsv(std::string_view csv);

}  // namespace holdfast::tools
