#include "client/mq_fault_strategy.h"

#include <gtest/gtest.h>

#include <set>

namespace holdfast::client {
namespace {

using std::chrono::milliseconds;

TopicRouteData TwoBrokers() {
  TopicRouteData r;
  r.queue_datas = {{"broker-a", 2, 2, 6, 0}, {"broker-b", 2, 2, 6, 0}};
  r.broker_datas = {{"c", "broker-a", {{0, "a:1"}}}, {"c", "broker-b", {{0, "b:1"}}}};
  return r;
}

TEST(TopicPublishInfoTest, RoundRobinSkipsTheLastFailedBroker) {
  TopicPublishInfo info("T", TwoBrokers());
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info.order_topic());
  std::set<int> seen;
  for (int i = 0; i < 4; ++i) {
    MessageQueue mq = info.SelectOneMessageQueue("");
    seen.insert(mq.queue_id + (mq.broker_name == "broker-b" ? 2 : 0));
  }
  EXPECT_EQ(seen.size(), 4u);  // four calls visit all four queues
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(info.SelectOneMessageQueue("broker-a").broker_name, "broker-b");
  }
}

TEST(TopicPublishInfoTest, OneBrokerIsUsedEvenWhenItFailedLast) {
  TopicRouteData r = TwoBrokers();
  r.queue_datas.pop_back();
  TopicPublishInfo info("T", r);
  EXPECT_EQ(info.SelectOneMessageQueue("broker-a").broker_name, "broker-a");
}

TEST(MQFaultStrategyTest, SlowOrFailedBrokersAreAvoidedWhenEnabled) {
  TopicPublishInfo info("T", TwoBrokers());
  MQFaultStrategy strategy(true);
  EXPECT_TRUE(strategy.IsAvailable("broker-a"));
  strategy.UpdateFaultItem("broker-a", milliseconds(10), false);  // fast: no penalty
  EXPECT_TRUE(strategy.IsAvailable("broker-a"));
  strategy.UpdateFaultItem("broker-a", milliseconds(0), true);  // failed: 30 s latency
  EXPECT_FALSE(strategy.IsAvailable("broker-a"));
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(strategy.SelectOneMessageQueue(info, "").broker_name, "broker-b");
  }
  strategy.UpdateFaultItem("broker-b", milliseconds(600), false);  // 550+ ms: 30 s penalty
  EXPECT_FALSE(strategy.IsAvailable("broker-b"));
  // Everyone penalised: still returns a queue.
  EXPECT_FALSE(strategy.SelectOneMessageQueue(info, "").broker_name.empty());
}

TEST(MQFaultStrategyTest, DisabledStrategyRecordsNothing) {
  MQFaultStrategy strategy(false);
  strategy.UpdateFaultItem("broker-a", milliseconds(0), true);
  EXPECT_TRUE(strategy.IsAvailable("broker-a"));
}

}  // namespace
}  // namespace holdfast::client
