#include "client/topic_route_data.h"

#include <gtest/gtest.h>

namespace holdfast::client {
namespace {

constexpr const char* kStandard =
    R"({"brokerDatas":[{"brokerAddrs":{"0":"10.0.0.1:10911","1":"10.0.0.2:10911"},)"
    R"("brokerName":"broker-b","cluster":"DefaultCluster","enableActingMaster":false},)"
    R"({"brokerAddrs":{"0":"10.0.0.3:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}],)"
    R"("filterServerTable":{},"queueDatas":[{"brokerName":"broker-b","perm":6,"readQueueNums":2,)"
    R"("topicSysFlag":0,"writeQueueNums":3},{"brokerName":"broker-a","perm":6,"readQueueNums":4,)"
    R"("topicSysFlag":0,"writeQueueNums":4}]})";

// fastjson's plain encode(): unquoted integer map keys.
constexpr const char* kFastjson =
    R"({"brokerDatas":[{"brokerAddrs":{0:"10.0.0.1:10911",1:"10.0.0.2:10911"},)"
    R"("brokerName":"broker-b","cluster":"DefaultCluster","enableActingMaster":false},)"
    R"({"brokerAddrs":{ 0 :"10.0.0.3:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}],)"
    R"("filterServerTable":{},"queueDatas":[{"brokerName":"broker-b","perm":6,"readQueueNums":2,)"
    R"("topicSysFlag":0,"writeQueueNums":3},{"brokerName":"broker-a","perm":6,"readQueueNums":4,)"
    R"("topicSysFlag":0,"writeQueueNums":4}]})";

TEST(TopicRouteDataTest, DecodesStandardJson) {
  Result<TopicRouteData> r = DecodeTopicRouteData(kStandard);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->broker_datas.size(), 2u);
  EXPECT_EQ(r->broker_datas[0].broker_name, "broker-b");
  EXPECT_EQ(r->broker_datas[0].cluster, "DefaultCluster");
  EXPECT_EQ(r->broker_datas[0].broker_addrs,
            (std::map<int64_t, std::string>{{0, "10.0.0.1:10911"}, {1, "10.0.0.2:10911"}}));
  EXPECT_EQ(r->broker_datas[0].MasterAddr(), "10.0.0.1:10911");
  ASSERT_EQ(r->queue_datas.size(), 2u);
  EXPECT_EQ(r->queue_datas[0].write_queue_nums, 3);
  EXPECT_EQ(r->queue_datas[0].read_queue_nums, 2);
  EXPECT_EQ(r->queue_datas[0].perm, 6);
}

TEST(TopicRouteDataTest, DecodesFastjsonUnquotedIntegerKeysToTheSameRoute) {
  Result<TopicRouteData> standard = DecodeTopicRouteData(kStandard);
  Result<TopicRouteData> fastjson = DecodeTopicRouteData(kFastjson);
  ASSERT_TRUE(fastjson.ok()) << fastjson.status().ToString();
  EXPECT_EQ(*standard, *fastjson);
}

TEST(TopicRouteDataTest, DigitsInsideStringsAreLeftAlone) {
  Result<TopicRouteData> r = DecodeTopicRouteData(
      R"({"orderTopicConf":"{1:2,3:4}","brokerDatas":[{"brokerAddrs":{7:"a,{0:b"},)"
      R"("brokerName":"x,5:"}],"queueDatas":[]})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->order_topic_conf, "{1:2,3:4}");
  EXPECT_EQ(r->broker_datas[0].broker_name, "x,5:");
  EXPECT_EQ(r->broker_datas[0].broker_addrs.at(7), "a,{0:b");
}

TEST(TopicRouteDataTest, GarbageIsCorruption) {
  EXPECT_TRUE(DecodeTopicRouteData("not json").status().IsCorruption());
  EXPECT_TRUE(DecodeTopicRouteData(R"({"brokerDatas":[{"brokerAddrs":{"x":"a"}}]})")
                  .status()
                  .IsCorruption());
  EXPECT_TRUE(DecodeTopicRouteData(R"({"queueDatas":[{"perm":"six"}]})").status().IsCorruption());
}

TEST(TopicRouteDataTest, PublishQueuesAreWritableMasterQueuesSortedByBroker) {
  TopicRouteData r = *DecodeTopicRouteData(kStandard);
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
  TopicRouteData r = *DecodeTopicRouteData(kStandard);
  r.order_topic_conf = "broker-b:2;broker-a:1";
  std::vector<MessageQueue> want = {
      {"T", "broker-b", 0}, {"T", "broker-b", 1}, {"T", "broker-a", 0}};
  EXPECT_EQ(TopicRouteToPublishQueues(r, "T"), want);
}

}  // namespace
}  // namespace holdfast::client
