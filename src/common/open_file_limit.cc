#include "common/open_file_limit.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

namespace holdfast {

void RaiseOpenFileLimit() {
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  const rlim_t soft = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    spdlog::warn("could not raise the open-file limit from {} to {}", soft, limit.rlim_max);
  }
}

}  // namespace holdfast
