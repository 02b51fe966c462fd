#include "tools/limits/thread_handoff_limits.h"

#include <gtest/gtest.h>

namespace holdfast::tools {
namespace {

TEST(ThreadHandoffTest, CountsEveryHandOffOfItsBudget) {
  ThreadHandoffOptions o;
  o.seconds = 60;  // the budget ends it, not the clock
  o.handoffs = 200;
  auto r = MeasureThreadHandoff(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->handoffs, 200u);
  EXPECT_EQ(r->latency.count, 200u);
  EXPECT_GT(r->latency.p50_ns, 0);
  EXPECT_GE(r->latency.p99_ns, r->latency.p50_ns);
  EXPECT_GT(r->handoffs_per_sec, 0);
}

TEST(ThreadHandoffTest, ShortDeadlineStopsBothThreads) {
  ThreadHandoffOptions o;
  o.seconds = 0.02;
  auto r = MeasureThreadHandoff(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GT(r->handoffs, 0u);
  EXPECT_GE(r->seconds, 0.02);
}

TEST(ThreadHandoffTest, RejectsANonPositiveDuration) {
  ThreadHandoffOptions o;
  o.seconds = 0;
  auto r = MeasureThreadHandoff(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace holdfast::tools
