#include "remoting/protocol/topic_route_data.h"

#include <gtest/gtest.h>

namespace holdfast::protocol {
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

TEST(TopicRouteDataTest, FastjsonStyleLeavesBrokerIdKeysUnquoted) {
  TopicRouteData route;
  route.queue_datas.push_back(QueueData{.broker_name = "broker-a",
                                        .read_queue_nums = 4,
                                        .write_queue_nums = 4,
                                        .perm = 6,
                                        .topic_sys_flag = 0});
  route.broker_datas.push_back(
      BrokerData{.cluster = "DefaultCluster",
                 .broker_name = "broker-a",
                 .broker_addrs = {{0, "10.0.0.1:10911"}, {1, "10.0.0.2:10911"}}});
  EXPECT_EQ(EncodeTopicRouteData(route, JsonStyle::kFastjson),
            R"({"brokerDatas":[{"brokerAddrs":{0:"10.0.0.1:10911",1:"10.0.0.2:10911"},)"
            R"("brokerName":"broker-a","cluster":"DefaultCluster","enableActingMaster":false}],)"
            R"("filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,)"
            R"("readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}]})");
  route.order_topic_conf = "broker-a:4";
  EXPECT_EQ(EncodeTopicRouteData(route, JsonStyle::kStandard),
            R"({"brokerDatas":[{"brokerAddrs":{"0":"10.0.0.1:10911","1":"10.0.0.2:10911"},)"
            R"("brokerName":"broker-a","cluster":"DefaultCluster","enableActingMaster":false}],)"
            R"("filterServerTable":{},"orderTopicConf":"broker-a:4","queueDatas":[{"brokerName":)"
            R"("broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}]})");
}

TEST(TopicRouteDataTest, WhatTheEncoderWritesDecodesToTheSameRouteInEitherStyle) {
  TopicRouteData route;
  route.order_topic_conf = "broker-a:2";
  route.queue_datas.push_back(QueueData{.broker_name = "broker-a",
                                        .read_queue_nums = 2,
                                        .write_queue_nums = 3,
                                        .perm = 6,
                                        .topic_sys_flag = 1});
  route.broker_datas.push_back(BrokerData{.cluster = "C\"1",
                                          .broker_name = "broker-a",
                                          .broker_addrs = {{0, "10.0.0.1:10911"}, {2, "x"}}});
  for (JsonStyle style : {JsonStyle::kStandard, JsonStyle::kFastjson}) {
    Result<TopicRouteData> decoded = DecodeTopicRouteData(EncodeTopicRouteData(route, style));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, route);
  }
  route.order_topic_conf.reset();
  Result<TopicRouteData> decoded =
      DecodeTopicRouteData(EncodeTopicRouteData(route, JsonStyle::kStandard));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_FALSE(decoded->order_topic_conf.has_value());
}

}  // namespace
}  // namespace holdfast::protocol
