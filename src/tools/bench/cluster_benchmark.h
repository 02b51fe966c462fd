// `holdfast bench cluster`: one run that puts the broker's figures for 1 KiB messages on loopback
// beside the limits they are compared with, all measured in the same run on the same machine and
// disk:
//   1. the loopback network: TCP ping-pong (1 KiB request, 64-byte reply) on one connection (the
//      latency floor of one synchronous producer) and on 64 connections (the ceiling of 64);
//   2. the store alone: `holdfast bench store` limited to SYNC_FLUSH with 64 appends in flight,
//      plus this disk's raw fdatasync latency and ideal group commit;
//   3. a real broker per flush mode: `holdfast standalone` spawned as a child process, its idle
//      memory and start-up time, 64 producer threads sending synchronously while a push consumer
//      in this process consumes the same topic (end-to-end latency), then one producer thread;
//   4. Redis 7 Streams with appendfsync always (tools/redis_peer.h), XADD with 64 and 1 clients;
// and ends with a table: each figure, what it is compared with, the ratio, the target and
// PASS / MISS. docs/benchmarks.md explains every figure.
//
// Threads and processes: RunClusterBenchmark runs everything from the calling thread, which must
// live until it returns (the broker children are tied to it, see broker_process.h); the
// measurements start and join threads of their own. Not reentrant: one run at a time per --dir.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "common/status.h"

namespace holdfast::tools {

struct ClusterBenchmarkOptions {
  // Where the store benchmark, the brokers and Redis keep their data: the disk under test. Created
  // when missing; every data directory made in it is removed at the end (the brokers' logs stay).
  std::filesystem::path dir = "bench-data";
  double seconds = 5;                      // measured time of every case
  bool skip_redis = false;                 // leave the Redis peer out (say so instead of failing)
  bool skip_store = false;                 // leave the store-only part out
  std::string program = "/proc/self/exe";  // the holdfast program the brokers run
  std::string command_line;                // echoed in the report's header
};

// InvalidArgument naming the option when seconds is not in (0, 3600] or dir or program is empty.
[[nodiscard]] Status ValidateClusterBenchmarkOptions(const ClusterBenchmarkOptions& options);

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

// Runs every part not skipped, printing as it goes, and the table at the end. Returns the process
// exit code: 0 when every part ran (a MISS is reported, not a failure), 1 when a part failed
// (including Redis missing without skip_redis), 2 for invalid options (nothing is run).
int RunClusterBenchmark(const ClusterBenchmarkOptions& options, std::ostream& out);

}  // namespace holdfast::tools
