#include "tools/bench/process_stats.h"

#include <unistd.h>

#include <gtest/gtest.h>

namespace holdfast::tools {
namespace {

TEST(ProcessStatsTest, OwnCpuTimeGrowsWithWork) {
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

TEST(ProcessStatsTest, MissingProcessIsNotFound) {
  auto r = ReadProcessCpuSeconds(-1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace holdfast::tools
