#include "tools/thread_cpu.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <time.h>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace holdfast::tools {
namespace {

// CPU time of the calling thread.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

TEST(ThreadCpuSampleTest, CountsABusyThreadByItsNameAndNotAnIdleOne) {
  std::mutex mu;
  std::condition_variable cv;
  bool named = false;
  bool busy_done = false;
  bool release_idle = false;  // both threads wait for it

  // The idle thread names itself and then blocks until the end of the test.
  std::thread idle([&] {
    pthread_setname_np(pthread_self(), "cpu-test-idle");
    std::unique_lock lock(mu);
    named = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release_idle; });
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return named; });
  }
  auto before = ThreadCpuSample::Take();
  ASSERT_TRUE(before.ok()) << before.status().ToString();

  double spun = 0;
  std::thread busy([&] {
    pthread_setname_np(pthread_self(), "cpu-test-busy");
    const double start = ThreadCpuSeconds();
    volatile uint64_t sink = 0;
    while (ThreadCpuSeconds() - start < 0.05) sink = sink + 1;
    spun = ThreadCpuSeconds() - start;
    // It stays until the second sample is taken: an ended thread is not counted.
    std::unique_lock lock(mu);
    busy_done = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release_idle; });
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return busy_done; });
  }
  auto after = ThreadCpuSample::Take();
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  {
    std::lock_guard lock(mu);
    release_idle = true;
  }
  cv.notify_all();
  busy.join();
  idle.join();

  auto used = after->SecondsSince(*before);
  ASSERT_TRUE(used.count("cpu-test-busy")) << "the busy thread is missing from the sample";
  ASSERT_TRUE(used.count("cpu-test-idle")) << "the idle thread is missing from the sample";
  // The busy thread started after `before`, so all it used counts: at least what it measured
  // itself, give or take the scheduler's accounting granularity.
  EXPECT_GE(used["cpu-test-busy"], 0.9 * spun);
  EXPECT_LT(used["cpu-test-idle"], 0.01);
}

}  // namespace
}  // namespace holdfast::tools
