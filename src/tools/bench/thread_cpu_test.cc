#include "tools/bench/thread_cpu.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <time.h>

#include <condition_variable>
#include <functional>
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

// A thread that names itself, runs `work`, and then stays until destroyed: an ended thread is not
// counted in a sample.
class ParkedThread {
 public:
  ParkedThread(const char* name, std::function<void()> work)
      : thread_([this, name, work = std::move(work)] {
          pthread_setname_np(pthread_self(), name);
          work();
          std::unique_lock lock(mu_);
          ready_ = true;
          cv_.notify_all();
          cv_.wait(lock, [this] { return released_; });
        }) {}
  ~ParkedThread() {
    {
      std::lock_guard lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  // Returns once the thread has named itself and finished its work.
  void WaitReady() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return ready_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool ready_ = false;     // guarded by mu_
  bool released_ = false;  // guarded by mu_
  std::thread thread_;     // last: it starts once the members above exist
};

TEST(ThreadCpuSampleTest, CountsABusyThreadByItsNameAndNotAnIdleOne) {
  ParkedThread idle("cpu-test-idle", [] {});
  idle.WaitReady();
  auto before = ThreadCpuSample::Take();
  ASSERT_TRUE(before.ok()) << before.status().ToString();

  double spun = 0;  // written by the busy thread before it is ready, read after
  ParkedThread busy("cpu-test-busy", [&spun] {
    const double start = ThreadCpuSeconds();
    volatile uint64_t sink = 0;
    while (ThreadCpuSeconds() - start < 0.05) sink = sink + 1;
    spun = ThreadCpuSeconds() - start;
  });
  busy.WaitReady();
  auto after = ThreadCpuSample::Take();
  ASSERT_TRUE(after.ok()) << after.status().ToString();

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
