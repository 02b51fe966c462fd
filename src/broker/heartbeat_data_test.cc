#include "broker/heartbeat_data.h"

#include <gtest/gtest.h>

#include "common/java_hash.h"

namespace holdfast::broker {
namespace {

TEST(HeartbeatDataTest, DecodesJavaClientBody) {
  const char* body = R"({"clientID":"10.0.0.1@123#456","consumerDataSet":[{"consumeFromWhere":
      "CONSUME_FROM_FIRST_OFFSET","consumeType":"CONSUME_PASSIVELY","groupName":"G1",
      "messageModel":"CLUSTERING","subscriptionDataSet":[{"classFilterMode":false,"codeSet":[],
      "expressionType":"TAG","subString":"TagA || TagB","subVersion":1700000000123,
      "tagsSet":["TagA","TagB"],"topic":"T1"}],"unitMode":false}],
      "producerDataSet":[{"groupName":"P1"},{"groupName":"CLIENT_INNER_PRODUCER"}]})";
  Result<HeartbeatData> hb = DecodeHeartbeatData(body);
  ASSERT_TRUE(hb.ok()) << hb.status().ToString();
  EXPECT_EQ(hb->client_id, "10.0.0.1@123#456");
  ASSERT_EQ(hb->producer_data_set.size(), 2u);
  EXPECT_EQ(hb->producer_data_set[1].group_name, "CLIENT_INNER_PRODUCER");
  ASSERT_EQ(hb->consumer_data_set.size(), 1u);
  const ConsumerData& c = hb->consumer_data_set[0];
  EXPECT_EQ(c.group_name, "G1");
  EXPECT_EQ(c.consume_type, ConsumeType::kConsumePassively);
  EXPECT_EQ(c.message_model, MessageModel::kClustering);
  EXPECT_EQ(c.consume_from_where, 4);
  ASSERT_EQ(c.subscription_data_set.size(), 1u);
  const SubscriptionData& sd = c.subscription_data_set[0];
  EXPECT_EQ(sd.topic, "T1");
  EXPECT_EQ(sd.sub_version, 1700000000123);
  EXPECT_EQ(sd.tags_set, (std::set<std::string>{"TagA", "TagB"}));
  EXPECT_EQ(sd.code_set,
            (std::set<int32_t>{JavaStringHashCode("TagA"), JavaStringHashCode("TagB")}));
}

TEST(HeartbeatDataTest, DecodesCppClientOrdinalsAndStringSubVersion) {
  const char* body = R"({"clientID":"c","consumerDataSet":[{"consumeFromWhere":1,
      "consumeType":0,"groupName":"G","messageModel":0,"subscriptionDataSet":[{"codeSet":[0],
      "subString":"X","subVersion":"42","tagsSet":["X"],"topic":"T"}],"unitMode":false}],
      "producerDataSet":[]})";
  Result<HeartbeatData> hb = DecodeHeartbeatData(body);
  ASSERT_TRUE(hb.ok()) << hb.status().ToString();
  const ConsumerData& c = hb->consumer_data_set.at(0);
  EXPECT_EQ(c.consume_type, ConsumeType::kConsumeActively);
  EXPECT_EQ(c.message_model, MessageModel::kBroadcasting);
  EXPECT_EQ(c.consume_from_where, 1);
  const SubscriptionData& sd = c.subscription_data_set.at(0);
  EXPECT_EQ(sd.sub_version, 42);
  EXPECT_EQ(sd.expression_type, "TAG");
  // The hash is recomputed, not the client's atoi(tag).
  EXPECT_EQ(sd.code_set, (std::set<int32_t>{JavaStringHashCode("X")}));
}

TEST(HeartbeatDataTest, ErrorsNameTheField) {
  EXPECT_NE(DecodeHeartbeatData("not json").status().message().find("not a JSON object"),
            std::string::npos);
  EXPECT_NE(DecodeHeartbeatData(R"({"producerDataSet":[]})").status().message().find("clientID"),
            std::string::npos);
  Result<HeartbeatData> bad = DecodeHeartbeatData(
      R"({"clientID":"c","consumerDataSet":[{"groupName":"G","messageModel":"SOMETIMES"}]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("consumerDataSet[0].messageModel"), std::string::npos)
      << bad.status().message();
  Result<HeartbeatData> bad_version = DecodeHeartbeatData(
      R"({"clientID":"c","consumerDataSet":[{"groupName":"G","subscriptionDataSet":[
         {"topic":"T","subVersion":"soon"}]}]})");
  ASSERT_FALSE(bad_version.ok());
  EXPECT_NE(bad_version.status().message().find("subscriptionDataSet[0].subVersion"),
            std::string::npos);
}

TEST(BuildSubscriptionDataTest, StarSelectsEverything) {
  SubscriptionData all = BuildSubscriptionData("T", " * ", "", 7);
  EXPECT_EQ(all.sub_string, "*");
  EXPECT_TRUE(all.tags_set.empty());
  EXPECT_TRUE(all.code_set.empty());
  EXPECT_EQ(all.expression_type, "TAG");
  EXPECT_EQ(all.sub_version, 7);
  SubscriptionData sql = BuildSubscriptionData("T", "a > 1", "SQL92", 0);
  EXPECT_EQ(sql.expression_type, "SQL92");
  EXPECT_EQ(sql.sub_string, "a > 1");
}

}  // namespace
}  // namespace holdfast::broker
