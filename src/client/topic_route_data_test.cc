#include "client/topic_route_data.h"

#include <gtest/gtest.h>

#include "remoting/protocol/perm_name.h"

namespace holdfast::client {
namespace {

using protocol::kPermRead;

// Two brokers with masters: broker-b (2 read, 3 write queues, a slave too) listed before broker-a
// (4 and 4).
TopicRouteData TwoBrokers() {
  TopicRouteData r;
  r.broker_datas.push_back(
      {"DefaultCluster", "broker-b", {{0, "10.0.0.1:10911"}, {1, "10.0.0.2:10911"}}});
  r.broker_datas.push_back({"DefaultCluster", "broker-a", {{0, "10.0.0.3:10911"}}});
  r.queue_datas.push_back({"broker-b", 2, 3, 6, 0});
  r.queue_datas.push_back({"broker-a", 4, 4, 6, 0});
  return r;
}

TEST(TopicRouteDataTest, PublishQueuesAreWritableMasterQueuesSortedByBroker) {
  TopicRouteData r = TwoBrokers();
  // broker-c is writable but has no master; broker-d is read-only.
  r.queue_datas.push_back({"broker-c", 4, 4, 6, 0});
  r.broker_datas.push_back({"DefaultCluster", "broker-c", {{1, "10.0.0.9:10911"}}});
  r.queue_datas.push_back({"broker-d", 4, 4, kPermRead, 0});
  r.broker_datas.push_back({"DefaultCluster", "broker-d", {{0, "10.0.0.8:10911"}}});
  std::vector<MessageQueue> q = TopicRouteToPublishQueues(r, "T");
  std::vector<MessageQueue> want = {
      {"T", "broker-a", 0}, {"T", "broker-a", 1}, {"T", "broker-a", 2}, {"T", "broker-a", 3},
      {"T", "broker-b", 0}, {"T", "broker-b", 1}, {"T", "broker-b", 2}};
  EXPECT_EQ(q, want);

  std::set<MessageQueue> sub = TopicRouteToSubscribeQueues(r, "T");
  EXPECT_EQ(sub.size(), 4u + 2u + 4u + 4u);
  EXPECT_TRUE(sub.count({"T", "broker-d", 3}));
  EXPECT_FALSE(sub.count({"T", "broker-b", 2}));
}

TEST(TopicRouteDataTest, OrderTopicConfDecidesPublishQueues) {
  TopicRouteData r = TwoBrokers();
  r.order_topic_conf = "broker-b:2;broker-a:1";
  std::vector<MessageQueue> want = {
      {"T", "broker-b", 0}, {"T", "broker-b", 1}, {"T", "broker-a", 0}};
  EXPECT_EQ(TopicRouteToPublishQueues(r, "T"), want);
  r.order_topic_conf = "";  // an empty orderTopicConf is no order
  EXPECT_EQ(TopicRouteToPublishQueues(r, "T").size(), 4u + 3u);
}

}  // namespace
}  // namespace holdfast::client
