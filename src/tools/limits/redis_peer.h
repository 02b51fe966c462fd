// RedisPeer: a reference figure for the benchmark from a well-known durable log. It runs a private
// redis-server with every write fsynced before its reply (--appendonly yes --appendfsync always,
// no RDB snapshots), the closest Redis comes to a SYNC_FLUSH broker, and drives it with
// redis-benchmark sending XADD of a 1 KiB value (a stream append, like a message send).
//
// redis-benchmark applies -d only to its built-in SET/GET tests, not to a command given on its
// command line (__data__ is sent literally), so the value is generated here and passed as an
// argument.
//
// Lifecycle: Start() picks a free loopback port, creates a temporary directory, spawns
// redis-server there and polls PING until it answers (bounded by start_timeout); then RunXadd any
// number of times; Stop() (also run by the destructor) sends SIGTERM, reaps the server (SIGKILL
// after stop_timeout) and removes the directory. Errors name the program and what failed, with the
// tail of the server's log when it did not come up.
//
// Threads: none of its own. Not thread-safe: one thread uses a RedisPeer at a time. The servers
// and benchmarks are common/subprocess.h Subprocesses, tied to the thread that started them: use a
// RedisPeer from a thread that outlives it (the main thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/subprocess.h"
#include "tools/limits/redis_benchmark_csv.h"

namespace holdfast::tools {

struct RedisPeerOptions {
  std::string redis_server = "redis-server";        // looked up in PATH
  std::string redis_benchmark = "redis-benchmark";  // looked up in PATH
  std::string parent_dir;  // where the temporary directory goes; empty: $TMPDIR or /tmp
  std::chrono::milliseconds start_timeout{10000};
  std::chrono::milliseconds stop_timeout{10000};
};

struct RedisXaddOptions {
  int clients = 64;           // -c
  int64_t requests = 100000;  // -n
  size_t value_bytes = 1024;  // the XADD field value
  std::string stream = "holdfast-bench";
};

class RedisPeer {
 public:
  static Result<std::unique_ptr<RedisPeer>> Start(const RedisPeerOptions& options = {});
  ~RedisPeer();
  RedisPeer(const RedisPeer&) = delete;
  RedisPeer& operator=(const RedisPeer&) = delete;

  uint16_t port() const { return port_; }
  const std::string& dir() const { return dir_; }

  // Runs redis-benchmark -h 127.0.0.1 -p port -c clients -n requests --csv
  // XADD stream * payload <value> and parses its figures. InvalidArgument for clients or requests
  // below 1; an error naming redis-benchmark when it cannot run or exits non-zero.
  Result<RedisBenchmarkResult> RunXadd(const RedisXaddOptions& options) const;

  // Stops the server and removes the directory. Idempotent.
  Status Stop();

 private:
  RedisPeer(RedisPeerOptions options, std::string dir, uint16_t port,
            std::unique_ptr<Subprocess> server)
      : options_(std::move(options)),
        dir_(std::move(dir)),
        port_(port),
        server_(std::move(server)) {}

  const RedisPeerOptions options_;
  const std::string dir_;
  const uint16_t port_;
  std::unique_ptr<Subprocess> server_;  // null once stopped
};

}  // namespace holdfast::tools
