#include "client/process_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace holdfast::client {
namespace {

MQMessageExt Msg(int64_t offset, std::string body = "x") {
  MQMessageExt m;
  m.topic = "T";
  m.queue_offset = offset;
  m.body = std::move(body);
  return m;
}

std::vector<MQMessageExt> Msgs(int64_t from, int64_t to) {
  std::vector<MQMessageExt> out;
  for (int64_t o = from; o < to; ++o) out.push_back(Msg(o));
  return out;
}

TEST(ProcessQueueTest, RemoveFromEmptyQueueHasNothingToCommit) {
  ProcessQueue pq;
  EXPECT_EQ(pq.RemoveMessages({Msg(3)}), -1);
}

TEST(ProcessQueueTest, InOrderCompletionCommitsPastEachMessage) {
  ProcessQueue pq;
  pq.PutMessages(Msgs(10, 15));
  for (int64_t o = 10; o < 14; ++o) EXPECT_EQ(pq.RemoveMessages({Msg(o)}), o + 1);
  EXPECT_EQ(pq.RemoveMessages({Msg(14)}), 15);
  EXPECT_EQ(pq.MsgCount(), 0);
}

TEST(ProcessQueueTest, LaterCompletionsNeverPassTheOldestUnfinishedMessage) {
  ProcessQueue pq;
  pq.PutMessages(Msgs(0, 5));
  // 0 is still in its listener while 1..4 succeed.
  for (int64_t o = 1; o < 5; ++o) EXPECT_EQ(pq.RemoveMessages({Msg(o)}), 0);
  // More pulled messages complete too; still 0.
  pq.PutMessages(Msgs(5, 8));
  EXPECT_EQ(pq.RemoveMessages(Msgs(5, 8)), 0);
  // Only when 0 finishes does the offset jump past everything done.
  EXPECT_EQ(pq.RemoveMessages({Msg(0)}), 8);
}

TEST(ProcessQueueTest, AGapInTheMiddleHoldsTheOffsetAtTheGap) {
  ProcessQueue pq;
  pq.PutMessages(Msgs(100, 110));
  EXPECT_EQ(pq.RemoveMessages(Msgs(100, 104)), 104);
  EXPECT_EQ(pq.RemoveMessages(Msgs(105, 110)), 104);
  EXPECT_EQ(pq.RemoveMessages({Msg(104)}), 110);
}

TEST(ProcessQueueTest, RemovingAnUnknownOffsetDoesNotMoveTheCommitOffset) {
  ProcessQueue pq;
  pq.PutMessages(Msgs(0, 3));
  EXPECT_EQ(pq.RemoveMessages({Msg(42)}), 0);
  EXPECT_EQ(pq.MsgCount(), 3);
}

TEST(ProcessQueueTest, ARemovedMessageCountedOnce) {
  ProcessQueue pq;
  pq.PutMessages(Msgs(0, 3));
  EXPECT_EQ(pq.RemoveMessages({Msg(1)}), 0);
  EXPECT_EQ(pq.RemoveMessages({Msg(1)}), 0);
  EXPECT_EQ(pq.MsgCount(), 2);
}

TEST(ProcessQueueTest, DuplicatePutIsIgnored) {
  ProcessQueue pq;
  pq.PutMessages({Msg(0, "abc")});
  pq.PutMessages({Msg(0, "abc")});
  EXPECT_EQ(pq.MsgCount(), 1);
  EXPECT_EQ(pq.MsgSize(), 3);
}

// Every permutation of completion order over a small window, and random ones over a larger one:
// after each completion the returned offset is exactly the smallest unfinished offset (or max+1).
TEST(ProcessQueueTest, EveryCompletionOrderKeepsTheOffsetAtTheOldestUnfinished) {
  std::vector<int64_t> order = {0, 1, 2, 3, 4, 5};
  do {
    ProcessQueue pq;
    pq.PutMessages(Msgs(0, 6));
    std::set<int64_t> unfinished(order.begin(), order.end());
    for (int64_t o : order) {
      unfinished.erase(o);
      int64_t expected = unfinished.empty() ? 6 : *unfinished.begin();
      ASSERT_EQ(pq.RemoveMessages({Msg(o)}), expected);
    }
  } while (std::next_permutation(order.begin(), order.end()));
}

TEST(ProcessQueueTest, RandomBatchedCompletionNeverPassesAnUnfinishedMessage) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 200; ++round) {
    ProcessQueue pq;
    std::set<int64_t> unfinished;
    int64_t next = 1000;
    int64_t committed = -1;
    for (int step = 0; step < 50; ++step) {
      if (rng() % 2 == 0) {  // a pull arrives
        int n = static_cast<int>(rng() % 5) + 1;
        pq.PutMessages(Msgs(next, next + n));
        for (int i = 0; i < n; ++i) unfinished.insert(next + i);
        next += n;
      } else if (!unfinished.empty()) {  // some listener returns
        std::vector<int64_t> pool(unfinished.begin(), unfinished.end());
        std::shuffle(pool.begin(), pool.end(), rng);
        pool.resize(std::min<size_t>(pool.size(), rng() % 3 + 1));
        std::vector<MQMessageExt> done;
        for (int64_t o : pool) {
          done.push_back(Msg(o));
          unfinished.erase(o);
        }
        int64_t offset = pq.RemoveMessages(done);
        if (!unfinished.empty()) {
          ASSERT_LE(offset, *unfinished.begin());
        }
        ASSERT_EQ(offset, unfinished.empty() ? next : *unfinished.begin());
        ASSERT_GE(offset, committed) << "the commit offset never goes back";
        committed = offset;
      }
      ASSERT_EQ(pq.MsgCount(), static_cast<int64_t>(unfinished.size()));
    }
  }
}

TEST(ProcessQueueTest, FlowControlFigures) {
  ProcessQueue pq;
  EXPECT_EQ(pq.MaxSpan(), 0);
  EXPECT_EQ(pq.MinOffset(), -1);
  pq.PutMessages({Msg(5, "12345"), Msg(7, "12"), Msg(20, "")});
  EXPECT_EQ(pq.MsgCount(), 3);
  EXPECT_EQ(pq.MsgSize(), 7);
  EXPECT_EQ(pq.MaxSpan(), 15);
  EXPECT_EQ(pq.MinOffset(), 5);
  pq.RemoveMessages({Msg(5)});
  EXPECT_EQ(pq.MsgSize(), 2);
  EXPECT_EQ(pq.MaxSpan(), 13);
}

TEST(ProcessQueueTest, OrderlyTakeCommitInOffsetOrder) {
  ProcessQueue pq;
  EXPECT_TRUE(pq.PutMessages({Msg(3), Msg(1), Msg(2)}));
  auto batch = pq.TakeMessages(2);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].queue_offset, 1);
  EXPECT_EQ(batch[1].queue_offset, 2);
  EXPECT_EQ(pq.MsgCount(), 3) << "taken messages are still held until Commit";
  EXPECT_EQ(pq.Commit(), 3);
  EXPECT_EQ(pq.MsgCount(), 1);
  batch = pq.TakeMessages(5);
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(pq.Commit(), 4);
  EXPECT_EQ(pq.Commit(), -1);
}

TEST(ProcessQueueTest, OrderlyConsumeAgainReturnsTheSameMessagesFirst) {
  ProcessQueue pq;
  pq.PutMessages(Msgs(0, 4));
  auto batch = pq.TakeMessages(2);
  pq.MakeMessageToConsumeAgain(batch);
  pq.PutMessages(Msgs(4, 6));
  auto again = pq.TakeMessages(2);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].queue_offset, 0);
  EXPECT_EQ(again[1].queue_offset, 1);
  EXPECT_EQ(pq.Commit(), 2);
}

TEST(ProcessQueueTest, OrderlyDispatchFlagIsSetOnceUntilTheQueueDrains) {
  ProcessQueue pq;
  EXPECT_TRUE(pq.PutMessages(Msgs(0, 2)));
  EXPECT_FALSE(pq.PutMessages(Msgs(2, 3))) << "a request is already running";
  EXPECT_EQ(pq.TakeMessages(10).size(), 3u);
  EXPECT_EQ(pq.Commit(), 3);
  EXPECT_TRUE(pq.TakeMessages(10).empty());
  EXPECT_TRUE(pq.PutMessages(Msgs(3, 4))) << "the drained request ended; a new one is needed";
}

TEST(ProcessQueueTest, RollbackPutsTakenMessagesBack) {
  ProcessQueue pq;
  pq.PutMessages(Msgs(0, 3));
  pq.TakeMessages(3);
  pq.Rollback();
  EXPECT_EQ(pq.Commit(), -1);
  EXPECT_EQ(pq.TakeMessages(1)[0].queue_offset, 0);
}

TEST(ProcessQueueTest, ConsumeAgainKeepsTheCallersReconsumeTimes) {
  ProcessQueue pq;
  pq.PutMessages(Msgs(0, 1));
  auto batch = pq.TakeMessages(1);
  batch[0].reconsume_times = 3;
  pq.MakeMessageToConsumeAgain(batch);
  EXPECT_EQ(pq.TakeMessages(1)[0].reconsume_times, 3);
}

TEST(ProcessQueueTest, LockExpiresAfterMaxLiveTime) {
  ProcessQueue pq;
  pq.set_last_lock_time(std::chrono::steady_clock::now());
  EXPECT_FALSE(pq.IsLockExpired());
  pq.set_last_lock_time(std::chrono::steady_clock::now() - ProcessQueue::kRebalanceLockMaxLiveTime -
                        std::chrono::seconds(1));
  EXPECT_TRUE(pq.IsLockExpired());
}

TEST(ProcessQueueTest, OnlyTheFirstMessageCanExpireAndOnlyOnceInItsListener) {
  using namespace std::chrono_literals;
  ProcessQueue pq;
  auto t0 = std::chrono::steady_clock::now();
  pq.PutMessages(Msgs(0, 3));
  EXPECT_FALSE(pq.ExpiredFirstMessage(1min, t0 + 1h)) << "not in a listener yet";
  pq.MarkConsumeStart({Msg(1)}, t0);
  EXPECT_FALSE(pq.ExpiredFirstMessage(1min, t0 + 1h)) << "offset 0 is first and not started";
  pq.MarkConsumeStart({Msg(0)}, t0);
  EXPECT_FALSE(pq.ExpiredFirstMessage(1min, t0 + 30s));
  auto expired = pq.ExpiredFirstMessage(1min, t0 + 2min);
  ASSERT_TRUE(expired);
  EXPECT_EQ(expired->queue_offset, 0);
  EXPECT_EQ(pq.RemoveMessages({*expired}), 1);
  EXPECT_EQ(pq.ExpiredFirstMessage(1min, t0 + 2min)->queue_offset, 1);
}

TEST(ProcessQueueTest, ClearForgetsEverything) {
  ProcessQueue pq;
  pq.PutMessages(Msgs(0, 3));
  pq.TakeMessages(1);
  pq.Clear();
  EXPECT_EQ(pq.MsgCount(), 0);
  EXPECT_EQ(pq.MsgSize(), 0);
  EXPECT_FALSE(pq.HasTempMessage());
}

}  // namespace
}  // namespace holdfast::client
