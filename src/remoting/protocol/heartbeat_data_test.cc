#include "remoting/protocol/heartbeat_data.h"

#include <gtest/gtest.h>

#include "common/java_hash.h"

namespace holdfast::protocol {
namespace {

HeartbeatData Sample() {
  HeartbeatData hb;
  hb.client_id = "10.0.0.1@123";
  hb.producer_data_set.push_back({"PG"});
  ConsumerData c;
  c.group_name = "CG";
  c.consume_type = ConsumeType::kConsumePassively;
  c.message_model = MessageModel::kBroadcasting;
  c.consume_from_where = ConsumeFromWhereOrdinal(ConsumeFromWhere::kConsumeFromFirstOffset);
  c.subscription_data_set.push_back(BuildSubscriptionData("T", "TagA || TagB", "", 1700000000000));
  c.subscription_data_set.push_back(BuildSubscriptionData("%RETRY%CG", "*", "TAG", 1700000000001));
  hb.consumer_data_set.push_back(c);
  return hb;
}

TEST(HeartbeatDataTest, EncodesAsTheJavaClientDoes) {
  EXPECT_EQ(EncodeHeartbeatData(Sample()),
            R"({"clientID":"10.0.0.1@123","consumerDataSet":[{"consumeFromWhere":)"
            R"("CONSUME_FROM_FIRST_OFFSET","consumeType":"CONSUME_PASSIVELY","groupName":"CG",)"
            R"("messageModel":"BROADCASTING","subscriptionDataSet":[{"classFilterMode":false,)"
            R"("codeSet":[2598919,2598920],"expressionType":"TAG","subString":"TagA || TagB",)"
            R"("subVersion":1700000000000,"tagsSet":["TagA","TagB"],"topic":"T"},)"
            R"({"classFilterMode":false,"codeSet":[],"expressionType":"TAG","subString":"*",)"
            R"("subVersion":1700000000001,"tagsSet":[],"topic":"%RETRY%CG"}],)"
            R"("unitMode":false}],"producerDataSet":[{"groupName":"PG"}]})");
}

TEST(HeartbeatDataTest, RoundTrips) {
  Result<HeartbeatData> back = DecodeHeartbeatData(EncodeHeartbeatData(Sample()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, Sample());

  HeartbeatData empty;
  empty.client_id = "c";
  EXPECT_EQ(EncodeHeartbeatData(empty),
            R"({"clientID":"c","consumerDataSet":[],"producerDataSet":[]})");
  back = DecodeHeartbeatData(EncodeHeartbeatData(empty));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, empty);
}

TEST(HeartbeatDataTest, DecodesJavaClientBody) {
  // A RocketMQ 4.9 Java push consumer's heartbeat, as tests/conformance sends it.
  const char* body =
      R"({"clientID":"127.0.0.1@4242#1700000000000","consumerDataSet":[{"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY","groupName":"cg_java","messageModel":"CLUSTERING","subscriptionDataSet":[{"classFilterMode":false,"codeSet":[2598919],"expressionType":"TAG","subString":"TagA","subVersion":1700000000000,"tagsSet":["TagA"],"topic":"PullTopic"},{"classFilterMode":false,"codeSet":[],"expressionType":"TAG","subString":"*","subVersion":1700000000001,"tagsSet":[],"topic":"%RETRY%cg_java"}],"unitMode":false}],"producerDataSet":[{"groupName":"CLIENT_INNER_PRODUCER"}]})";
  Result<HeartbeatData> hb = DecodeHeartbeatData(body);
  ASSERT_TRUE(hb.ok()) << hb.status().ToString();
  EXPECT_EQ(hb->client_id, "127.0.0.1@4242#1700000000000");
  ASSERT_EQ(hb->producer_data_set.size(), 1u);
  EXPECT_EQ(hb->producer_data_set[0].group_name, "CLIENT_INNER_PRODUCER");
  ASSERT_EQ(hb->consumer_data_set.size(), 1u);
  const ConsumerData& c = hb->consumer_data_set[0];
  EXPECT_EQ(c.group_name, "cg_java");
  EXPECT_EQ(c.consume_type, ConsumeType::kConsumePassively);
  EXPECT_EQ(c.message_model, MessageModel::kClustering);
  EXPECT_EQ(c.consume_from_where, 0);
  ASSERT_EQ(c.subscription_data_set.size(), 2u);
  const SubscriptionData& sd = c.subscription_data_set[0];
  EXPECT_EQ(sd.topic, "PullTopic");
  EXPECT_EQ(sd.sub_version, 1700000000000);
  EXPECT_EQ(sd.tags_set, (std::set<std::string>{"TagA"}));
  EXPECT_EQ(sd.code_set, (std::set<int32_t>{JavaStringHashCode("TagA")}));
  // Re-encoding gives the Java client's bytes back.
  EXPECT_EQ(EncodeHeartbeatData(*hb), body);
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
  ASSERT_TRUE(bad.status().IsCorruption());
  EXPECT_NE(bad.status().message().find("consumerDataSet[0].messageModel"), std::string::npos)
      << bad.status().message();
  Result<HeartbeatData> bad_version = DecodeHeartbeatData(
      R"({"clientID":"c","consumerDataSet":[{"groupName":"G","subscriptionDataSet":[
         {"topic":"T","subVersion":"soon"}]}]})");
  ASSERT_FALSE(bad_version.ok());
  EXPECT_NE(bad_version.status().message().find("subscriptionDataSet[0].subVersion"),
            std::string::npos);
  EXPECT_FALSE(DecodeHeartbeatData(
                   R"({"clientID":"c","consumerDataSet":[{"groupName":"G","consumeType":7}]})")
                   .ok());
  EXPECT_FALSE(DecodeHeartbeatData(R"({"clientID":"c","producerDataSet":[{}]})").ok());
}

TEST(HeartbeatDataTest, EnumNames) {
  EXPECT_EQ(MessageModelName(MessageModel::kClustering), "CLUSTERING");
  EXPECT_EQ(ConsumeTypeName(ConsumeType::kConsumeActively), "CONSUME_ACTIVELY");
  EXPECT_EQ(ConsumeFromWhereName(ConsumeFromWhereOrdinal(ConsumeFromWhere::kConsumeFromLastOffset)),
            "CONSUME_FROM_LAST_OFFSET");
  EXPECT_EQ(ConsumeFromWhereName(ConsumeFromWhereOrdinal(ConsumeFromWhere::kConsumeFromTimestamp)),
            "CONSUME_FROM_TIMESTAMP");
  EXPECT_EQ(ConsumeFromWhereName(6), "");
}

}  // namespace
}  // namespace holdfast::protocol
