// Runs a function in a forked child process and hands its answer back, so a benchmark can measure
// something (a store's start, its memory) in a process that has done nothing else.
#pragma once

#include <functional>
#include <string>

#include "common/status.h"

namespace holdfast::tools {

// Forks (Subprocess::Fork); the child runs `body` and exits (without running the parent's exit
// handlers), and what body returned is this call's value. Call it from a process with no other
// threads: the child gets only the calling thread, and a lock another thread held at the fork would
// stay held there. Flush buffered output first, or the child may write it again. An error when the
// child could not be started, died (a signal, or an exit without answering), or `body` returned an
// error.
[[nodiscard]] Result<std::string> RunInForkedChild(
    const std::function<Result<std::string>()>& body);

}  // namespace holdfast::tools
