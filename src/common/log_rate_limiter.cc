#include "common/log_rate_limiter.h"

#include <fmt/format.h>

namespace holdfast {

LogRateLimiter::LogRateLimiter(int burst, std::chrono::milliseconds period)
    : burst_(burst), period_(period) {}

std::optional<uint64_t> LogRateLimiter::Admit(SteadyClock::time_point now) {
  std::lock_guard lock(mu_);
  if (!started_ || now - window_start_ >= period_) {
    started_ = true;
    window_start_ = now;
    admitted_in_window_ = 0;
  }
  if (admitted_in_window_ >= burst_) {
    ++suppressed_unreported_;
    ++suppressed_total_;
    return std::nullopt;
  }
  ++admitted_in_window_;
  const uint64_t held_back = suppressed_unreported_;
  suppressed_unreported_ = 0;
  return held_back;
}

uint64_t LogRateLimiter::suppressed_total() const {
  std::lock_guard lock(mu_);
  return suppressed_total_;
}

std::string HeldBackNote(uint64_t held_back) {
  if (held_back == 0) return "";
  return fmt::format(" ({} similar lines suppressed before this one)", held_back);
}

}  // namespace holdfast
