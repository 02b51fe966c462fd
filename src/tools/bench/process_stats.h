// What /proc says about a process: its resident memory and the CPU time it has used, for the
// benchmarks' figures of the brokers they run (and of themselves).
#pragma once

#include <sys/types.h>

#include <cstdint>

#include "common/process_memory.h"  // the memory half, in common for the store tests too
#include "common/status.h"

namespace holdfast::tools {

// The CPU time (user + system) a process has used so far, in seconds, from /proc/<pid>/stat.
// NotFound when the process is gone; Corruption for a line that does not parse.
[[nodiscard]] Result<double> ReadProcessCpuSeconds(pid_t pid);

}  // namespace holdfast::tools
