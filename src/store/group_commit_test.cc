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

// A group commit over a slow disk that records the end of each sync. The disk's slowness is the
// point (gathering waits for a fraction of a sync's time), not a synchronisation.
struct SlowDisk {
  explicit SlowDisk(milliseconds sync_time) : sync_time(sync_time) {}

  Status Sync(int64_t /*from*/, int64_t to) {
    started.fetch_add(1);
    std::this_thread::sleep_for(sync_time);
    std::lock_guard lock(mu);
    sync_ends.push_back(to);
    return Status::Ok();
  }
  std::vector<int64_t> Ends() {
    std::lock_guard lock(mu);
    return sync_ends;
  }

  const milliseconds sync_time;
  std::atomic<int> started{0};
  std::mutex mu;
  std::vector<int64_t> sync_ends;
};

// Appends `n` requests of 100 bytes each after `written` and submits them; returns the new end.
int64_t SubmitRequests(GroupCommit& gc, int64_t written, int n, std::vector<Status>* results,
                       std::mutex* mu) {
  for (int i = 0; i < n; ++i) {
    written += 100;
    gc.Advance(written);
    gc.Submit(written, SteadyClock::now() + std::chrono::seconds(30), [results, mu](Status s) {
      std::lock_guard lock(*mu);
      results->push_back(std::move(s));
    });
  }
  return written;
}

TEST(GroupCommitTest, ServingGathersAsManyRequestsAsTheLastSyncCompletedIntoOneSync) {
  SlowDisk disk(milliseconds(400));
  GroupCommit gc([&](int64_t from, int64_t to) { return disk.Sync(from, to); },
                 std::chrono::seconds(1));
  std::mutex mu;
  std::vector<Status> results;

  // Round one: 8 requests, one sync for all of them.
  int64_t written = SubmitRequests(gc, 0, 8, &results, &mu);
  gc.ServePending(milliseconds(0));
  ASSERT_EQ(disk.Ends(), std::vector<int64_t>({800}));

  // Round two: the first request arrives, the server notices it (and, gathering, starts no sync);
  // then the other 7. It may wait 200 ms (half the last sync) for them.
  std::thread server([&] { gc.ServePending(std::chrono::seconds(5)); });
  written = SubmitRequests(gc, written, 1, &results, &mu);
  while (!gc.gathering() && disk.started.load() == 1) std::this_thread::yield();
  written = SubmitRequests(gc, written, 7, &results, &mu);
  server.join();
  EXPECT_EQ(disk.Ends(), std::vector<int64_t>({800, 1600})) << "one sync for the 8 of round two";
  std::lock_guard lock(mu);
  ASSERT_EQ(results.size(), 16u);
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(GroupCommitTest, ALoneRequestIsSyncedWithoutWaitingForOthers) {
  SlowDisk disk(milliseconds(50));
  GroupCommit gc([&](int64_t from, int64_t to) { return disk.Sync(from, to); },
                 std::chrono::seconds(10));
  std::mutex mu;
  std::vector<Status> results;
  int64_t written = 0;
  for (int round = 1; round <= 3; ++round) {
    written = SubmitRequests(gc, written, 1, &results, &mu);
    const auto started = SteadyClock::now();
    gc.ServePending(milliseconds(0));
    // One sync (50 ms), no gathering on top: the last sync completed one request.
    EXPECT_LT(SteadyClock::now() - started, std::chrono::seconds(5)) << "round " << round;
    EXPECT_EQ(disk.Ends().size(), static_cast<size_t>(round));
  }
  std::lock_guard lock(mu);
  EXPECT_EQ(results.size(), 3u);
}

TEST(GroupCommitTest, GatheringThatTimesOutSyncsWhatIsPending) {
  SlowDisk disk(milliseconds(100));
  GroupCommit gc([&](int64_t from, int64_t to) { return disk.Sync(from, to); },
                 std::chrono::seconds(1));
  std::mutex mu;
  std::vector<Status> results;
  int64_t written = SubmitRequests(gc, 0, 4, &results, &mu);
  gc.ServePending(milliseconds(0));
  // Only 1 of the 4 the server expects comes back: after at most half a sync it syncs that one.
  written = SubmitRequests(gc, written, 1, &results, &mu);
  gc.ServePending(milliseconds(0));
  EXPECT_EQ(disk.Ends(), std::vector<int64_t>({400, 500}));
  std::lock_guard lock(mu);
  EXPECT_EQ(results.size(), 5u);
}

}  // namespace
}  // namespace holdfast::store
