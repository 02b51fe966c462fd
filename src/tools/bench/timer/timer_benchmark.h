// `holdfast bench timer`: the timer store (src/store/timer, docs/timer.md) in one process, on a
// SYNC_FLUSH store. For each count N of messages waiting (default 10k, 100k, 1M):
// - enqueue: N timer messages (due in an hour) put with up to 256 in flight; the put rate, and the
//   rate at which the timer store filed them into its log and wheel;
// - lateness: then `probes` messages due over the next few seconds (2000 a second, so thousands
//   are due in each second), and for each the delivery's store time minus its due time, p50 / p99 /
//   max, beside the slot width (1000 ms: a message is filed under the second its due time rounds
//   up to, so up to 1 s late by design);
// - memory: the process's RSS (and RssAnon) with the N waiting.
// The physical limit, measured first on the same disk: the ideal group commit (64 x 1 KiB pwrite
// + one fdatasync) in messages/s; the put rate is printed beside it with the ratio. The bound for
// 10 million waiting is computed from the file layout and printed.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace holdfast::tools {

struct TimerBenchmarkOptions {
  // The run works in holdfast-timer-bench-<pid> below it and removes that at the end.
  std::string dir = "./bench-data";
  std::vector<int64_t> waiting = {10'000, 100'000, 1'000'000};
  int64_t probes = 10'000;
  int body_size = 100;
  std::string command_line;  // echoed in the report
};

// Prints the report; returns the exit status (0 when every part ran).
int RunTimerBenchmark(const TimerBenchmarkOptions& o, std::ostream& out);

}  // namespace holdfast::tools
