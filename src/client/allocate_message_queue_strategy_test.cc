#include "client/allocate_message_queue_strategy.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace holdfast::client {
namespace {

std::vector<MessageQueue> Queues(int n) {
  std::vector<MessageQueue> out;
  for (int i = 0; i < n; ++i) out.push_back(MessageQueue{"T", "broker-a", i});
  return out;
}

std::vector<std::string> Cids(int c) {
  std::vector<std::string> out;
  for (int i = 0; i < c; ++i) out.push_back("10.0.0.1@" + std::to_string(i));
  return out;
}

std::vector<int> Ids(const std::vector<MessageQueue>& mqs) {
  std::vector<int> out;
  for (const auto& mq : mqs) out.push_back(mq.queue_id);
  return out;
}

std::vector<int> AllocateIds(const AllocateMessageQueueStrategy& s, int index, int n, int c) {
  auto r = s.Allocate(Cids(c)[index], Queues(n), Cids(c));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? Ids(*r) : std::vector<int>{};
}

TEST(AllocateMessageQueueAveragelyTest, ContiguousBlocksWithTheRemainderToTheFirst) {
  AllocateMessageQueueAveragely s;
  EXPECT_EQ(AllocateIds(s, 0, 8, 3), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(AllocateIds(s, 1, 8, 3), (std::vector<int>{3, 4, 5}));
  EXPECT_EQ(AllocateIds(s, 2, 8, 3), (std::vector<int>{6, 7}));
  EXPECT_EQ(AllocateIds(s, 0, 4, 2), (std::vector<int>{0, 1}));
  EXPECT_EQ(AllocateIds(s, 1, 4, 2), (std::vector<int>{2, 3}));
  EXPECT_EQ(AllocateIds(s, 0, 4, 1), (std::vector<int>{0, 1, 2, 3}));
}

TEST(AllocateMessageQueueAveragelyTest, MoreConsumersThanQueuesLeavesTheLastOnesIdle) {
  AllocateMessageQueueAveragely s;
  EXPECT_EQ(AllocateIds(s, 0, 2, 4), (std::vector<int>{0}));
  EXPECT_EQ(AllocateIds(s, 1, 2, 4), (std::vector<int>{1}));
  EXPECT_TRUE(AllocateIds(s, 2, 2, 4).empty());
  EXPECT_TRUE(AllocateIds(s, 3, 2, 4).empty());
}

TEST(AllocateMessageQueueAveragelyByCircleTest, QueueKGoesToConsumerKModC) {
  AllocateMessageQueueAveragelyByCircle s;
  EXPECT_EQ(AllocateIds(s, 0, 8, 3), (std::vector<int>{0, 3, 6}));
  EXPECT_EQ(AllocateIds(s, 1, 8, 3), (std::vector<int>{1, 4, 7}));
  EXPECT_EQ(AllocateIds(s, 2, 8, 3), (std::vector<int>{2, 5}));
  EXPECT_EQ(AllocateIds(s, 0, 2, 3), (std::vector<int>{0}));
  EXPECT_TRUE(AllocateIds(s, 2, 2, 3).empty());
}

// Whatever the sizes, the members together get every queue exactly once.
TEST(AllocateMessageQueueStrategyTest, EveryQueueGoesToExactlyOneConsumer) {
  for (AllocateStrategy kind :
       {AllocateStrategy::kAveragely, AllocateStrategy::kAveragelyByCircle}) {
    auto s = MakeAllocateMessageQueueStrategy(kind);
    for (int n = 1; n <= 17; ++n) {
      for (int c = 1; c <= 9; ++c) {
        std::multiset<int> seen;
        size_t smallest = SIZE_MAX;
        size_t largest = 0;
        for (int i = 0; i < c; ++i) {
          auto ids = AllocateIds(*s, i, n, c);
          seen.insert(ids.begin(), ids.end());
          smallest = std::min(smallest, ids.size());
          largest = std::max(largest, ids.size());
        }
        ASSERT_EQ(seen.size(), static_cast<size_t>(n)) << s->Name() << " n=" << n << " c=" << c;
        for (int q = 0; q < n; ++q) ASSERT_EQ(seen.count(q), 1u) << "queue " << q;
        EXPECT_LE(largest - smallest, 1u) << "shares differ by at most one queue";
      }
    }
  }
}

TEST(AllocateMessageQueueStrategyTest, ClientNotInTheListGetsNothing) {
  AllocateMessageQueueAveragely s;
  auto r = s.Allocate("10.0.0.9@x", Queues(4), Cids(2));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
}

TEST(AllocateMessageQueueStrategyTest, EmptyInputsAreRejectedByName) {
  AllocateMessageQueueAveragely s;
  auto no_cid = s.Allocate("", Queues(4), Cids(2));
  ASSERT_FALSE(no_cid.ok());
  EXPECT_NE(no_cid.status().message().find("client id"), std::string::npos);
  auto no_queue = s.Allocate(Cids(2)[0], {}, Cids(2));
  ASSERT_FALSE(no_queue.ok());
  EXPECT_NE(no_queue.status().message().find("message queue"), std::string::npos);
  auto no_consumer = s.Allocate(Cids(2)[0], Queues(4), {});
  ASSERT_FALSE(no_consumer.ok());
  EXPECT_NE(no_consumer.status().message().find("consumer id"), std::string::npos);
}

TEST(AllocateMessageQueueStrategyTest, FactoryPicksTheNamedStrategy) {
  EXPECT_EQ(MakeAllocateMessageQueueStrategy(AllocateStrategy::kAveragely)->Name(), "AVG");
  EXPECT_EQ(MakeAllocateMessageQueueStrategy(AllocateStrategy::kAveragelyByCircle)->Name(),
            "AVG_BY_CIRCLE");
}

}  // namespace
}  // namespace holdfast::client
