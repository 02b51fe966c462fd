// `holdfast bench produce` and `holdfast bench consume`: RocketMQ's benchmark tools (Producer,
// Consumer in its benchmark module) against any name server, with the client library.
//
// Produce: `threads` threads send `size`-byte messages for `seconds` (sync: one at a time per
// thread; async: up to `async_window` outstanding per thread; oneway). Consume: a PushConsumer
// group measures end-to-end latency, now - the message's born timestamp. Both print a progress
// line each second and a final summary with p50/p99/p99.9.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

#include "holdfast/message.h"
#include "tools/latency_recorder.h"

namespace holdfast::tools {

enum class SendMode { kSync, kAsync, kOneway };

// The default topic is not RocketMQ's BenchmarkTest: that system topic has 1024 queues, and each
// queue a consume queue gets blocks reserved on its first message (6 MB each), which turns a
// benchmark into a test of creating 1024 consume queues. This one is auto-created with 4 queues.
inline constexpr const char* kDefaultBenchmarkTopic = "HoldfastBenchmark";

struct ProduceBenchmarkOptions {
  std::string namesrv_addr = "127.0.0.1:9876";
  std::string topic = kDefaultBenchmarkTopic;
  int threads = 64;
  int size = 1024;
  SendMode mode = SendMode::kSync;
  int async_window = 16;
  double seconds = 10;
  bool quiet = false;  // no per-second lines
};

struct ConsumeBenchmarkOptions {
  std::string namesrv_addr = "127.0.0.1:9876";
  std::string topic = kDefaultBenchmarkTopic;
  std::string group = "benchmark_consumer";
  double seconds = 10;
  bool from_first = false;
  bool quiet = false;
};

struct ClientBenchmarkResult {
  double rate = 0;  // operations per second
  uint64_t successes = 0;
  uint64_t failures = 0;
  LatencySummary latency;  // send: call to result; consume: born timestamp to listener
  std::string error;       // non-empty when the benchmark could not run
};

// Producers stamp each message with the wall clock in ns under this property, so a consumer on the
// same machine measures end-to-end latency finer than the millisecond born timestamp.
inline constexpr const char* kSendNanosProperty = "BENCH_SEND_NS";

// A consumed message's end-to-end latency at wall-clock time now_ns: from its kSendNanosProperty
// stamp, or from its born timestamp when it has none; never negative.
std::chrono::nanoseconds EndToEndLatency(const MQMessageExt& message, int64_t now_ns);
// The wall clock in ns since the epoch, as kSendNanosProperty stamps it.
int64_t WallClockNanos();

ClientBenchmarkResult RunProduceBenchmark(const ProduceBenchmarkOptions& options,
                                          std::ostream& out);
ClientBenchmarkResult RunConsumeBenchmark(const ConsumeBenchmarkOptions& options,
                                          std::ostream& out);
// The summary lines both commands end with.
void PrintClientBenchmarkSummary(const std::string& what, const ClientBenchmarkResult& result,
                                 std::ostream& out);

}  // namespace holdfast::tools
