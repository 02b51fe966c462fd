// Tests of GroupCommit's serving of asynchronous requests (blocking waits and flushes are covered
// through the store in message_store_test.cc).
#include "store/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace holdfast::store {
namespace {

using std::chrono::milliseconds;

// A group commit over a slow disk that records the end of each sync, and the outcomes of the
// requests submitted through it. The disk's slowness is the point (gathering waits for a fraction
// of a sync's time), not a synchronisation.
class SlowDisk {
 public:
  SlowDisk(milliseconds sync_time, SteadyClock::duration max_gather)
      : sync_time_(sync_time), gc([this](int64_t, int64_t to) { return Sync(to); }, max_gather) {}

  // Appends `n` requests of 100 bytes each after the last and submits them.
  void Submit(int n) {
    for (int i = 0; i < n; ++i) {
      written_ += 100;
      gc.Advance(written_);
      gc.Submit(written_, SteadyClock::now() + std::chrono::seconds(30), [this](Status s) {
        std::lock_guard lock(mu_);
        results_.push_back(std::move(s));
      });
    }
  }
  std::vector<int64_t> SyncEnds() {
    std::lock_guard lock(mu_);
    return sync_ends_;
  }
  std::vector<Status> Results() {
    std::lock_guard lock(mu_);
    return results_;
  }
  int SyncsStarted() const { return started_.load(); }

 private:
  Status Sync(int64_t to) {
    started_.fetch_add(1);
    std::this_thread::sleep_for(sync_time_);
    std::lock_guard lock(mu_);
    sync_ends_.push_back(to);
    return Status::Ok();
  }

  const milliseconds sync_time_;
  int64_t written_ = 0;  // the test thread's
  std::atomic<int> started_{0};
  std::mutex mu_;
  std::vector<int64_t> sync_ends_;  // guarded by mu_
  std::vector<Status> results_;     // guarded by mu_

 public:
  GroupCommit gc;  // last: its sync calls into the members above
};

TEST(GroupCommitTest, ServingGathersAsManyRequestsAsTheLastSyncCompletedIntoOneSync) {
  SlowDisk disk(milliseconds(400), std::chrono::seconds(1));
  // Round one: 8 requests, one sync for all of them.
  disk.Submit(8);
  disk.gc.ServePending(milliseconds(0));
  ASSERT_EQ(disk.SyncEnds(), std::vector<int64_t>({800}));

  // Round two: the first request arrives, the server notices it (and, gathering, starts no sync);
  // then the other 7. It may wait 200 ms (half the last sync) for them.
  std::thread server([&] { disk.gc.ServePending(std::chrono::seconds(5)); });
  disk.Submit(1);
  while (!disk.gc.gathering() && disk.SyncsStarted() == 1) std::this_thread::yield();
  disk.Submit(7);
  server.join();
  EXPECT_EQ(disk.SyncEnds(), std::vector<int64_t>({800, 1600}))
      << "one sync for the 8 of round two";
  std::vector<Status> results = disk.Results();
  ASSERT_EQ(results.size(), 16u);
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.ToString();
}

// Runs one ServePending on a thread of its own and watches it until it starts a sync: true when
// it gathered first.
bool ServeAndSeeWhetherItGathers(SlowDisk& disk) {
  const int syncs_before = disk.SyncsStarted();
  std::thread server([&] { disk.gc.ServePending(milliseconds(0)); });
  bool gathered = false;
  while (disk.SyncsStarted() == syncs_before) {
    gathered = gathered || disk.gc.gathering();
    std::this_thread::yield();
  }
  server.join();
  return gathered;
}

TEST(GroupCommitTest, ALoneRequestIsSyncedWithoutWaitingForOthers) {
  SlowDisk disk(milliseconds(50), std::chrono::seconds(10));
  for (int round = 1; round <= 3; ++round) {
    disk.Submit(1);
    // The last sync completed one request, and one is pending: nothing to wait for.
    EXPECT_FALSE(ServeAndSeeWhetherItGathers(disk)) << "round " << round;
    EXPECT_EQ(disk.SyncEnds().size(), static_cast<size_t>(round));
  }
  EXPECT_EQ(disk.Results().size(), 3u);
}

TEST(GroupCommitTest, GatheringThatTimesOutSyncsWhatIsPending) {
  SlowDisk disk(milliseconds(100), std::chrono::seconds(1));
  disk.Submit(4);
  disk.gc.ServePending(milliseconds(0));
  // Only 1 of the 4 the server expects comes back: it gathers, and after at most half a sync it
  // syncs that one.
  disk.Submit(1);
  EXPECT_TRUE(ServeAndSeeWhetherItGathers(disk));
  EXPECT_EQ(disk.SyncEnds(), std::vector<int64_t>({400, 500}));
  EXPECT_EQ(disk.Results().size(), 5u);
}

}  // namespace
}  // namespace holdfast::store
