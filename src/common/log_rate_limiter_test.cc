#include "common/log_rate_limiter.h"

#include <gtest/gtest.h>

namespace holdfast {
namespace {

using namespace std::chrono_literals;

TEST(LogRateLimiterTest, LetsABurstThroughPerWindowAndCountsTheRest) {
  LogRateLimiter limiter(3, 60s);
  const SteadyClock::time_point t0{};
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Admit(t0 + i * 1s), 0u) << i;
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(limiter.Admit(t0 + 10s).has_value()) << i;
  EXPECT_EQ(limiter.suppressed_total(), 100u);
  EXPECT_FALSE(limiter.Admit(t0 + 59s).has_value());  // still the first window
  EXPECT_EQ(limiter.suppressed_total(), 101u);
}

TEST(LogRateLimiterTest, FirstLineOfANewWindowReportsWhatWasHeldBack) {
  LogRateLimiter limiter(2, 1s);
  const SteadyClock::time_point t0{};
  EXPECT_EQ(limiter.Admit(t0), 0u);
  EXPECT_EQ(limiter.Admit(t0), 0u);
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(limiter.Admit(t0 + 500ms).has_value());
  EXPECT_EQ(limiter.Admit(t0 + 1s), 5u);  // the window is over: reported once
  EXPECT_EQ(limiter.Admit(t0 + 1s), 0u);
  EXPECT_FALSE(limiter.Admit(t0 + 1500ms).has_value());
  EXPECT_EQ(limiter.Admit(t0 + 10s), 1u);
  EXPECT_EQ(limiter.suppressed_total(), 6u);
}

TEST(LogRateLimiterTest, HeldBackNoteNamesTheCountOnlyWhenThereIsOne) {
  EXPECT_EQ(HeldBackNote(0), "");
  EXPECT_EQ(HeldBackNote(17), " (17 similar lines suppressed before this one)");
}

}  // namespace
}  // namespace holdfast
