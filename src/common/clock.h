// Wall-clock milliseconds as RocketMQ stores them (born/store timestamps), and a monotonic clock
// for deadlines.
#pragma once

#include <chrono>
#include <cstdint>

namespace holdfast {

inline int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

using SteadyClock = std::chrono::steady_clock;

// The seconds from `start` until now, on SteadyClock.
inline double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

}  // namespace holdfast
