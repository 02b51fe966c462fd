// ThreadCpuSample: how much CPU this process's threads have used, by thread name, so that a
// benchmark can say where its CPU went per operation (the appenders, dispatch, the allocator...)
// and compare that with the budget a target leaves on this machine's cores.
//
// Read from /proc/self/task/<tid>/schedstat (nanoseconds on a CPU) and .../comm (the name a thread
// gave itself with pthread_setname_np; "holdfast" for threads that set none). Threads that ended
// between two samples are not counted; threads that started in between count from zero.
//
// Threads: Take() may run on any thread; a sample is a plain value.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"

namespace holdfast::tools {

class ThreadCpuSample {
 public:
  // Reads every thread of this process now; fails when /proc cannot be read.
  static Result<ThreadCpuSample> Take();

  // CPU seconds used between `earlier` and this sample, added up by thread name.
  std::map<std::string, double> SecondsSince(const ThreadCpuSample& earlier) const;

 private:
  struct Thread {
    std::string name;
    int64_t cpu_ns = 0;
  };
  std::map<pid_t, Thread> threads_;
};

// The number of hardware threads this machine runs at once (at least 1): the cores a CPU budget
// is spread over.
int HardwareCores();

}  // namespace holdfast::tools
