#include "client/scheduled_executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "tests/support/wait_until.h"

namespace holdfast::client {
namespace {

using namespace std::chrono_literals;
using holdfast::testing::WaitUntil;

TEST(ScheduledExecutorTest, RunsTasksInDueOrderNotSubmissionOrder) {
  ScheduledExecutor scheduler("test");
  std::mutex mu;
  std::vector<int> order;
  auto record = [&](int n) {
    return [&, n] {
      std::lock_guard lock(mu);
      order.push_back(n);
    };
  };
  const auto start = std::chrono::steady_clock::now();
  scheduler.Schedule(60ms, record(3));
  scheduler.Schedule(0ms, record(1));
  scheduler.Schedule(30ms, record(2));
  ASSERT_TRUE(WaitUntil([&] {
    std::lock_guard lock(mu);
    return order.size() == 3;
  }));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 60ms) << "the last task ran early";
  std::lock_guard lock(mu);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(ScheduledExecutorTest, ShutdownDropsTasksNotYetDue) {
  ScheduledExecutor scheduler("test");
  std::atomic<bool> ran{false};
  scheduler.Schedule(std::chrono::hours(1), [&] { ran = true; });
  scheduler.Shutdown();
  EXPECT_FALSE(ran.load());
  EXPECT_FALSE(scheduler.Schedule(0ms, [] {}));
}

}  // namespace
}  // namespace holdfast::client
