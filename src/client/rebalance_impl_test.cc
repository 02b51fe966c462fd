// RebalanceImpl's decisions over an in-memory ConsumerBrokerApi that answers like a broker: a
// member list, per-queue max/min offsets, committed offsets and LOCK_BATCH_MQ. The same code
// against a real broker runs in push_consumer_test.
#include "client/rebalance_impl.h"

#include <gtest/gtest.h>

#include <map>

#include "client/in_memory_consumer_broker_api.h"

namespace holdfast::client {
namespace {

// Like RebalancePushImpl: persist and forget the offset of a queue that goes.
class RecordingDelegate : public RebalanceDelegate {
 public:
  explicit RecordingDelegate(OffsetStore* store) : store_(store) {}
  bool RemoveUnnecessaryMessageQueue(const MessageQueue& mq, ProcessQueue& pq) override {
    EXPECT_TRUE(pq.dropped());
    if (refuse_removal) return false;
    store_->Persist(mq);
    store_->RemoveOffset(mq);
    removed.insert(mq);
    return true;
  }
  void DispatchPullRequests(std::vector<PullRequest> requests) override {
    for (auto& r : requests) dispatched[r.message_queue] = r.next_offset;
  }

  std::set<MessageQueue> removed;
  std::map<MessageQueue, int64_t> dispatched;
  bool refuse_removal = false;

 private:
  OffsetStore* store_;
};

std::set<MessageQueue> Queues(const std::string& topic, int n) {
  std::set<MessageQueue> out;
  for (int i = 0; i < n; ++i) out.insert(MessageQueue{topic, "broker-a", i});
  return out;
}

class RebalanceImplTest : public ::testing::Test {
 protected:
  RebalanceImpl& Make(RebalanceOptions o = {}) {
    o.group = "G";
    rebalance_ = std::make_unique<RebalanceImpl>(o, &broker_, &store_, &delegate_);
    return *rebalance_;
  }

  InMemoryConsumerBrokerApi broker_;
  RemoteBrokerOffsetStore store_{&broker_, "G"};
  RecordingDelegate delegate_{&store_};
  std::unique_ptr<RebalanceImpl> rebalance_;
};

TEST_F(RebalanceImplTest, SoleMemberTakesEveryQueueFromItsCommittedOffset) {
  auto& r = Make();
  r.SetTopicSubscribeInfo("T", Queues("T", 4));
  broker_.committed[{"T", "broker-a", 2}] = 17;
  r.DoRebalance({"T"}, false);
  EXPECT_EQ(r.AssignedQueues("T"), Queues("T", 4));
  EXPECT_EQ(delegate_.dispatched.size(), 4u);
  EXPECT_EQ(delegate_.dispatched.at({"T", "broker-a", 2}), 17);
}

TEST_F(RebalanceImplTest, TwoMembersSplitAndASecondJoinerTakesHalfAway) {
  auto& r = Make();
  r.SetTopicSubscribeInfo("T", Queues("T", 4));
  r.DoRebalance({"T"}, false);
  ASSERT_EQ(r.AssignedQueues("T").size(), 4u);
  store_.UpdateOffset({"T", "broker-a", 3}, 9, true);

  broker_.cids = {"10.0.0.2@b", "10.0.0.1@a"};  // unsorted on purpose: rebalance sorts
  r.DoRebalance({"T"}, false);
  std::set<MessageQueue> expected = {{"T", "broker-a", 0}, {"T", "broker-a", 1}};
  EXPECT_EQ(r.AssignedQueues("T"), expected) << "10.0.0.1@a sorts first: the first block";
  EXPECT_EQ(delegate_.removed.size(), 2u);
  EXPECT_EQ(broker_.committed.at({"T", "broker-a", 3}), 9)
      << "the leaving queue's offset persisted";
  EXPECT_TRUE(store_.CloneOffsetTable("T").count({"T", "broker-a", 3}) == 0);
}

TEST_F(RebalanceImplTest, DroppedQueueIsMarkedDropped) {
  auto& r = Make();
  r.SetTopicSubscribeInfo("T", Queues("T", 2));
  r.DoRebalance({"T"}, false);
  auto pq = r.FindProcessQueue({"T", "broker-a", 1});
  ASSERT_TRUE(pq);
  broker_.cids = {"10.0.0.1@a", "10.0.0.2@b"};
  r.DoRebalance({"T"}, false);
  EXPECT_TRUE(pq->dropped());
  EXPECT_FALSE(r.FindProcessQueue({"T", "broker-a", 1}));
}

TEST_F(RebalanceImplTest, ClientNotYetKnownToTheBrokerTakesNothing) {
  auto& r = Make();
  broker_.cids = {"10.0.0.2@b"};
  r.SetTopicSubscribeInfo("T", Queues("T", 2));
  r.DoRebalance({"T"}, false);
  EXPECT_TRUE(r.AssignedQueues("T").empty());
}

TEST_F(RebalanceImplTest, BroadcastingTakesEveryQueueWhateverTheMembers) {
  RebalanceOptions o;
  o.message_model = MessageModel::kBroadcasting;
  auto& r = Make(o);
  broker_.cids = {"10.0.0.0@z", "10.0.0.1@a", "10.0.0.2@b"};
  r.SetTopicSubscribeInfo("T", Queues("T", 3));
  r.DoRebalance({"T"}, false);
  EXPECT_EQ(r.AssignedQueues("T").size(), 3u);
}

TEST_F(RebalanceImplTest, UnsubscribedTopicQueuesAreDropped) {
  auto& r = Make();
  r.SetTopicSubscribeInfo("T", Queues("T", 1));
  r.SetTopicSubscribeInfo("U", Queues("U", 1));
  r.DoRebalance({"T", "U"}, false);
  ASSERT_EQ(r.ProcessQueueTable().size(), 2u);
  r.DoRebalance({"T"}, false);
  EXPECT_TRUE(r.AssignedQueues("U").empty());
  EXPECT_EQ(r.AssignedQueues("T").size(), 1u);
}

TEST_F(RebalanceImplTest, RefusedRemovalKeepsTheQueueUntilNextTime) {
  auto& r = Make();
  r.SetTopicSubscribeInfo("T", Queues("T", 2));
  r.DoRebalance({"T"}, false);
  broker_.cids = {"10.0.0.1@a", "10.0.0.2@b"};
  delegate_.refuse_removal = true;
  r.DoRebalance({"T"}, false);
  EXPECT_EQ(r.AssignedQueues("T").size(), 2u);
  delegate_.refuse_removal = false;
  r.DoRebalance({"T"}, false);
  EXPECT_EQ(r.AssignedQueues("T").size(), 1u);
}

TEST_F(RebalanceImplTest, ConsumeFromLastOffsetStartsAtMaxButRetryTopicsAtZero) {
  auto& r = Make();
  MessageQueue mq{"T", "broker-a", 0};
  broker_.max_offset[mq] = 120;
  EXPECT_EQ(*r.ComputePullFromWhere(mq), 120);
  MessageQueue retry{"%RETRY%G", "broker-a", 0};
  broker_.max_offset[retry] = 7;
  EXPECT_EQ(*r.ComputePullFromWhere(retry), 0);
}

TEST_F(RebalanceImplTest, CommittedOffsetWinsOverConsumeFromWhere) {
  auto& r = Make();
  MessageQueue mq{"T", "broker-a", 0};
  broker_.max_offset[mq] = 120;
  broker_.committed[mq] = 33;
  EXPECT_EQ(*r.ComputePullFromWhere(mq), 33);
}

TEST_F(RebalanceImplTest, ConsumeFromFirstOffsetStartsAtZero) {
  RebalanceOptions o;
  o.consume_from_where = ConsumeFromWhere::kConsumeFromFirstOffset;
  auto& r = Make(o);
  MessageQueue mq{"T", "broker-a", 0};
  broker_.max_offset[mq] = 120;
  EXPECT_EQ(*r.ComputePullFromWhere(mq), 0);
}

TEST_F(RebalanceImplTest, ConsumeFromTimestampSearchesTheTimestamp) {
  RebalanceOptions o;
  o.consume_from_where = ConsumeFromWhere::kConsumeFromTimestamp;
  o.consume_timestamp_ms = 1'700'000'000'000;
  auto& r = Make(o);
  EXPECT_EQ(*r.ComputePullFromWhere({"T", "broker-a", 0}), 55);
  EXPECT_EQ(broker_.searched_ts, 1'700'000'000'000);
  MessageQueue retry{"%RETRY%G", "broker-a", 0};
  broker_.max_offset[retry] = 7;
  EXPECT_EQ(*r.ComputePullFromWhere(retry), 7) << "retry topics start at max";
}

TEST_F(RebalanceImplTest, UnreachableBrokerMeansTheQueueIsNotTakenYet) {
  auto& r = Make();
  r.SetTopicSubscribeInfo("T", Queues("T", 2));
  broker_.unreachable = true;
  r.DoRebalance({"T"}, false);
  EXPECT_TRUE(r.AssignedQueues("T").empty());
  EXPECT_TRUE(delegate_.dispatched.empty());
  broker_.unreachable = false;
  r.DoRebalance({"T"}, false);
  EXPECT_EQ(r.AssignedQueues("T").size(), 2u);
}

TEST_F(RebalanceImplTest, OrderlyTakesOnlyQueuesTheBrokerLocks) {
  auto& r = Make();
  r.SetTopicSubscribeInfo("T", Queues("T", 3));
  broker_.locked_by_other = {{"T", "broker-a", 1}};
  r.DoRebalance({"T"}, true);
  EXPECT_EQ(r.AssignedQueues("T").size(), 2u);
  auto pq = r.FindProcessQueue({"T", "broker-a", 0});
  ASSERT_TRUE(pq);
  EXPECT_TRUE(pq->locked());
  broker_.locked_by_other.clear();
  r.DoRebalance({"T"}, true);
  EXPECT_EQ(r.AssignedQueues("T").size(), 3u);
}

TEST_F(RebalanceImplTest, OrderlyBroadcastingTakesEveryQueueWithoutBrokerLocks) {
  RebalanceOptions o;
  o.message_model = MessageModel::kBroadcasting;
  auto& r = Make(o);
  r.SetTopicSubscribeInfo("T", Queues("T", 2));
  broker_.locked_by_other = Queues("T", 2);
  r.DoRebalance({"T"}, true);
  EXPECT_EQ(r.AssignedQueues("T").size(), 2u);
  EXPECT_EQ(broker_.lock_requests, 0);
  EXPECT_TRUE(r.FindProcessQueue({"T", "broker-a", 0})->locked());
}

TEST_F(RebalanceImplTest, LockAllMarksQueuesTheBrokerNoLongerGrants) {
  auto& r = Make();
  r.SetTopicSubscribeInfo("T", Queues("T", 2));
  r.DoRebalance({"T"}, true);
  broker_.locked_by_other = {{"T", "broker-a", 0}};
  r.LockAll();
  EXPECT_FALSE(r.FindProcessQueue({"T", "broker-a", 0})->locked());
  EXPECT_TRUE(r.FindProcessQueue({"T", "broker-a", 1})->locked());
  r.UnlockAll(true);
  EXPECT_EQ(broker_.unlocked.size(), 2u);
  EXPECT_FALSE(r.FindProcessQueue({"T", "broker-a", 1})->locked());
}

TEST_F(RebalanceImplTest, RemoveProcessQueueLetsTheNextRebalanceTakeItAfresh) {
  auto& r = Make();
  MessageQueue mq{"T", "broker-a", 0};
  r.SetTopicSubscribeInfo("T", {mq});
  r.DoRebalance({"T"}, false);
  auto first = r.FindProcessQueue(mq);
  r.RemoveProcessQueue(mq);
  EXPECT_TRUE(first->dropped());
  EXPECT_FALSE(r.FindProcessQueue(mq));
  r.DoRebalance({"T"}, false);
  auto second = r.FindProcessQueue(mq);
  ASSERT_TRUE(second);
  EXPECT_NE(first, second);
}

}  // namespace
}  // namespace holdfast::client
