// `holdfast bench schedule`: how late delayed messages are delivered when many fall due together.
//
// A store (SYNC_FLUSH, one delay level of --delay) gets --messages delayed messages, put as fast
// as asynchronous puts go, so that they fall due within about the time the puts took (under a
// second on a disk that group-commits well); the ScheduleMessageService runs meanwhile. Each
// message's lateness is the time its delivered copy became visible to consumers (dispatched, which
// under SYNC_FLUSH is after it is durable) minus its due time (its store time + the delay).
// Printed: lateness p50 / p99 / max, the delivery rate during the burst, and beside it the physical
// limit measured in the same run on the same disk: the rate of 4 KiB pwrite + fdatasync, one after
// the other, which is what delivering one message per sync could reach. The ratio is messages per
// sync the service achieved.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace holdfast::tools {

struct ScheduleBenchmarkOptions {
  // The run works in holdfast-schedule-bench-<pid> below it and removes that at the end.
  std::string dir = "./bench-data";
  int64_t messages = 100'000;
  int64_t body_size = 128;
  std::string delay = "3s";  // the one delay level; must exceed the put phase
  std::string command_line;  // echoed in the report
};

// Prints the report; returns the exit status (0 when every message was delivered).
int RunScheduleBenchmark(const ScheduleBenchmarkOptions& o, std::ostream& out);

}  // namespace holdfast::tools
