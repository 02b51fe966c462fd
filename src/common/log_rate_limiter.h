// LogRateLimiter: lets at most `burst` log lines of one kind through per `period`, so a peer that
// can make the process log a line per request or per connection (a broken or hostile client)
// cannot grow the log at will. The lines it holds back are counted, never lost silently: the
// first line let through after some were held back carries their number (Admit() returns it), and
// suppressed_total() counts them all.
//
// Windows are fixed: the first Admit() at or after window start + period opens a new one.
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.h"

namespace holdfast {

class LogRateLimiter {
 public:
  LogRateLimiter(int burst, std::chrono::milliseconds period);

  // nullopt: hold this line back (it is counted). Otherwise log it, together with the returned
  // number of lines held back since the last one let through (usually 0).
  std::optional<uint64_t> Admit(SteadyClock::time_point now = SteadyClock::now());

  uint64_t suppressed_total() const;

  int burst() const { return burst_; }
  std::chrono::milliseconds period() const { return period_; }

 private:
  // Constant after construction.
  const int burst_;
  const std::chrono::milliseconds period_;

  mutable std::mutex mu_;
  bool started_ = false;                    // guarded by mu_
  SteadyClock::time_point window_start_{};  // guarded by mu_
  int admitted_in_window_ = 0;              // guarded by mu_
  uint64_t suppressed_unreported_ = 0;      // guarded by mu_
  uint64_t suppressed_total_ = 0;           // guarded by mu_
};

// "" for 0, else " (N similar lines suppressed before this one)": appended to an admitted line.
std::string HeldBackNote(uint64_t held_back);

}  // namespace holdfast
