// The messages the store benchmark appends, made cheaply and uniquely per thread.
//
// Thread-compatible: each appending thread owns its own MessageMaker.
#pragma once

#include <unistd.h>

#include <cstdint>

#include "common/message.h"
#include "tools/bench/store/store_benchmark_options.h"

namespace holdfast::tools::store_bench {

// Builds the benchmark's messages for one thread: a fixed body, TAGS, a KEYS value and a
// RocketMQ-style 32-hex-digit UNIQ_KEY, both unique per (thread, sequence number), queue ids
// spread round-robin from a per-thread start.
class MessageMaker {
 public:
  MessageMaker(const StoreBenchmarkOptions& o, int thread_id);

  MessageExt Next();

  // The stored size of a record this maker produces (the key lengths vary by a few bytes).
  int64_t RecordSize();

 private:
  const int thread_id_;
  const uint64_t queues_;
  // Read once: getpid() is a system call, and the maker should cost the benchmark little.
  const uint32_t pid_ = static_cast<uint32_t>(getpid());
  MessageExt tmpl_;
  uint64_t seq_ = 0;
};

}  // namespace holdfast::tools::store_bench
