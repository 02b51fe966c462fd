// The process's open-file limit. A store keeps a file descriptor open for every segment of every
// consume queue, so a broker with thousands of queues needs more than the common soft limit of
// 1,024 (RocketMQ's deployment guide raises it too).
#pragma once

namespace holdfast {

// Raises the soft RLIMIT_NOFILE to the hard one, what the administrator allows; logs a warning
// when that is refused and carries on with the soft limit.
void RaiseOpenFileLimit();

}  // namespace holdfast
