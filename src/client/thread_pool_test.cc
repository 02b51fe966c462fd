#include "client/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "tests/support/wait_until.h"

namespace holdfast::client {
namespace {

using holdfast::testing::WaitUntil;

TEST(ThreadPoolTest, RunsTasksOnSeveralThreadsAtOnce) {
  ThreadPool pool("test", 3);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> running{0};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(pool.Submit([&] {
      ++running;
      released.wait();
    }));
  }
  EXPECT_TRUE(WaitUntil([&] { return running.load() == 3; }));
  release.set_value();
  pool.Shutdown();  // before the promise the tasks wait on goes away
}

TEST(ThreadPoolTest, ShutdownWaitsForRunningTasksAndDropsQueuedOnes) {
  ThreadPool pool("test", 1);
  std::promise<void> entered;
  std::promise<void> release;
  std::atomic<bool> finished{false};
  std::atomic<bool> queued_ran{false};
  pool.Submit([&] {
    entered.set_value();
    release.get_future().wait();
    finished = true;
  });
  pool.Submit([&] { queued_ran = true; });
  entered.get_future().wait();
  // The worker is busy, so only Shutdown can empty the queue: release the task after that.
  std::thread releaser([&] {
    WaitUntil([&] { return pool.QueueSize() == 0; });
    release.set_value();
  });
  pool.Shutdown();
  releaser.join();
  EXPECT_TRUE(finished.load()) << "Shutdown returned before the running task finished";
  EXPECT_FALSE(queued_ran.load());
  EXPECT_FALSE(pool.Submit([] {}));
}

}  // namespace
}  // namespace holdfast::client
