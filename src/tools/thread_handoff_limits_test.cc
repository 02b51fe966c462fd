#include "tools/thread_handoff_limits.h"

#include <gtest/gtest.h>
#include <unistd.h>

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

TEST(ProcessCpuTest, OwnCpuTimeGrowsWithWork) {
  auto before = ReadProcessCpuSeconds(::getpid());
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  // Burn CPU until the kernel's tick-granular account moves (at most a few ticks).
  volatile uint64_t x = 0;
  Result<double> after = *before;
  for (int round = 0; round < 10000 && *after <= *before; ++round) {
    for (int i = 0; i < 1000000; ++i) x = x + static_cast<uint64_t>(i);
    after = ReadProcessCpuSeconds(::getpid());
    ASSERT_TRUE(after.ok());
  }
  EXPECT_GT(*after, *before);
}

TEST(ProcessCpuTest, MissingProcessIsNotFound) {
  auto r = ReadProcessCpuSeconds(-1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace holdfast::tools
