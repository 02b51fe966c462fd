// A process's resident memory, as /proc/<pid>/status reports it.
#pragma once

#include <sys/types.h>

#include <cstdint>

#include "common/status.h"

namespace holdfast {

// In bytes: VmRSS, and its parts RssAnon (heap, stacks: the process's own memory) and RssFile
// (mapped files, the program's code included). A broker's RssFile grows with the pages of the
// commit log and the consume queues that it maps and touches.
struct ProcessMemory {
  int64_t rss_bytes = 0;
  int64_t rss_anon_bytes = 0;
  int64_t rss_file_bytes = 0;
};

// NotFound when the process or one of the fields is missing; Corruption for a line not in kB.
[[nodiscard]] Result<ProcessMemory> ReadProcessMemory(pid_t pid);

}  // namespace holdfast
