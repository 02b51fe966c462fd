// What /proc says about a process: its resident memory and the CPU time it has used, for the
// benchmarks' figures of the brokers they run (and of themselves).
#pragma once

#include <sys/types.h>

#include <cstdint>

#include "common/status.h"

namespace holdfast::tools {

// A process's resident memory from /proc/<pid>/status, in bytes: VmRSS, and its parts RssAnon
// (heap, stacks: the process's own memory) and RssFile (mapped files, the program's code
// included). A broker's RssFile grows with the commit-log pages it maps and touches.
struct ProcessMemory {
  int64_t rss_bytes = 0;
  int64_t rss_anon_bytes = 0;
  int64_t rss_file_bytes = 0;
};

// NotFound when the process or one of the fields is missing; Corruption for a line not in kB.
[[nodiscard]] Result<ProcessMemory> ReadProcessMemory(pid_t pid);

// The CPU time (user + system) a process has used so far, in seconds, from /proc/<pid>/stat.
// NotFound when the process is gone; Corruption for a line that does not parse.
[[nodiscard]] Result<double> ReadProcessCpuSeconds(pid_t pid);

}  // namespace holdfast::tools
