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
//   4. Redis 7 Streams with appendfsync always (limits/redis_peer.h), XADD with 64 and 1 clients;
// and ends with a table: each figure, what it is compared with, the ratio, the target and
// PASS / MISS. docs/benchmarks.md explains every figure.
//
// Threads and processes: RunClusterBenchmark runs everything from the calling thread, which must
// live until it returns (the broker children are tied to it, see broker_process.h); the
// measurements start and join threads of their own. Not reentrant: one run at a time per --dir.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "common/status.h"

namespace holdfast::tools {

namespace cluster_bench {

// Every part measures with this many producers (threads, connections or clients) and messages of
// this many bytes.
inline constexpr int kProducers = 64;
inline constexpr int kMessageBytes = 1024;

}  // namespace cluster_bench

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

// Runs every part not skipped, printing as it goes, and the table at the end. Returns the process
// exit code: 0 when every part ran (a MISS is reported, not a failure), 1 when a part failed
// (including Redis missing without skip_redis), 2 for invalid options (nothing is run).
int RunClusterBenchmark(const ClusterBenchmarkOptions& options, std::ostream& out);

}  // namespace holdfast::tools
