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

}  // namespace holdfast
