// Waits for a condition that another thread or process makes true, with a deadline: for state
// that offers no notification to wait on (a registration seen by a name server, a connection
// closed by a peer). Not a delay: it returns as soon as the condition holds.
//
// Between checks it backs off, from a yield up to kMaxPause, so that the many waiters of a test
// run do not keep both of a small CI machine's cores busy spinning while the threads they wait
// for need them.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <thread>

namespace holdfast::testing {

// The longest pause between two checks: well under any deadline a test sets, so a condition that
// holds is seen within about this much.
inline constexpr std::chrono::microseconds kMaxPause{2000};

// True once pred() holds; false if it still does not after `timeout`.
inline bool WaitUntil(const std::function<bool()>& pred,
                      std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::chrono::microseconds pause{0};
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    if (pause.count() == 0) {
      std::this_thread::yield();
      pause = std::chrono::microseconds(10);
    } else {
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, kMaxPause);
    }
  }
  return true;
}

}  // namespace holdfast::testing
