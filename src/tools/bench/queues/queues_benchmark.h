// `holdfast bench queues`: what a store costs per queue. For each queue count, a store with the
// default settings gets a few messages in every queue and is shut down cleanly; then the run
// reports the disk it takes (consume queues, index, commit log), and the time and resident memory a
// restart (MessageStore::Open, in a fresh child process, median of three) takes, each beside a
// physical reference measured in the same run on the same disk; an empty store's restart is
// measured too, so that what the queues add shows apart from what every restart costs:
// - disk: the same directory tree with every queue file holding exactly its entries, written with
//   pwrite (what the file system needs at least for the consume queues' bytes in this layout);
// - start: opening every reference file, reading its last entry, and mapping it with its last
//   page touched (the least a restart can do to find each queue's end and keep its tail
//   resident), in a fresh child process;
// - memory: what that reference added to its process's VmRSS.
// First, unless skipped, the append costs of queue_append_benchmark.h.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace holdfast::tools {

struct QueuesBenchmarkOptions {
  // The directory on the disk under test; the run works in holdfast-queues-bench-<pid> below it
  // and removes that at the end.
  std::string dir = "./bench-data";
  std::vector<int> queues = {10, 1000, 10000};
  int messages_per_queue = 2;
  size_t body_size = 1024;
  bool skip_append = false;
  int append_rounds = 5;
  std::string command_line;  // echoed in the report
};

// Prints the report; returns the exit status (0 when every part ran).
int RunQueuesBenchmark(const QueuesBenchmarkOptions& o, std::ostream& out);

}  // namespace holdfast::tools
