// The cluster benchmark's final table: each figure of the run beside what it is compared with, the
// ratio, the target and PASS / MISS.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace holdfast::tools {

// The figures the final table compares; a figure is absent when its part was skipped or failed.
// Latencies in microseconds, rates per second.
struct ClusterFigures {
  struct Broker {
    std::optional<double> send_rate;   // 64 producer threads, sync send
    std::optional<double> e2e_p50_us;  // produce -> consume, during the 64-thread run
    std::optional<double> e2e_p99_us;
    std::optional<double> send_p50_us;          // 1 producer thread, sync send
    std::optional<double> idle_rss_bytes;       // VmRSS just after the boot line
    std::optional<double> idle_rss_anon_bytes;  // its RssAnon part (no mapped files, no code)
    std::optional<double> accept_ms;            // spawn -> accepting connections, empty store
    std::optional<double> first_send_us;        // a new producer's first send on the new store
    std::optional<double> cpu_us_per_send;      // broker + bench process CPU, 64-producer run
  };
  std::optional<double> loopback_p50_us;   // 1 connection
  std::optional<double> loopback_rate_64;  // 64 connections, round trips/s
  std::optional<double> handoff_p50_us;    // one thread waking another (thread_handoff_limits.h)
  std::optional<double> store_sync_rate_64;
  std::optional<double> fdatasync_p50_us;       // raw 1 KiB pwrite + fdatasync, from the store part
  std::optional<double> ideal_group_commit_64;  // N = 64 x 1 KiB pwrite + 1 fdatasync, msgs/s
  Broker sync;
  Broker async;
  std::optional<double> redis_rate_64;
  std::optional<double> redis_p50_us_1;
};

// One line of the final table. `result` is PASS or MISS for a figure with a target, "info" for one
// without, "n/a" when a figure it needs is absent.
struct VerdictRow {
  std::string figure;
  std::string value;
  std::string compared_with;
  std::string ratio;
  std::string target;
  std::string result;
};

// The targets (from the issue):
//   SYNC_FLUSH send rate >= 0.60 x the store-only SYNC_FLUSH rate at 64 in flight;
//   SYNC_FLUSH send rate >= 1.5 x Redis XADD -c 64;
//   one producer's SYNC_FLUSH send p50 <= 1.2 x Redis XADD -c 1 p50;
//   idle broker RSS < 30 MiB; spawn -> accepting connections < 100 ms;
// and informational rows for the rest.
std::vector<VerdictRow> ClusterVerdicts(const ClusterFigures& figures);
void PrintVerdicts(const std::vector<VerdictRow>& rows, std::ostream& out);

}  // namespace holdfast::tools
