// Waits for a condition that another thread or process makes true, with a deadline: for state
// that offers no notification to wait on (a registration seen by a name server, a connection
// closed by a peer). Not a delay: it returns as soon as the condition holds.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace holdfast::testing {

// True once pred() holds; false if it still does not after `timeout`.
inline bool WaitUntil(const std::function<bool()>& pred,
                      std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

}  // namespace holdfast::testing
