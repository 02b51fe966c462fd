#include "client/heartbeat_data.h"

#include <gtest/gtest.h>

namespace holdfast::client {
namespace {

TEST(HeartbeatDataTest, EncodesAsTheJavaClientDoes) {
  HeartbeatData hb;
  hb.client_id = "10.0.0.1@123";
  hb.producers.push_back({"PG"});
  ConsumerData c;
  c.group_name = "CG";
  c.consume_type = kConsumePassively;
  c.message_model = MessageModelName(MessageModel::kBroadcasting);
  c.consume_from_where = ConsumeFromWhereName(ConsumeFromWhere::kConsumeFromFirstOffset);
  SubscriptionData s;
  s.topic = "T";
  s.sub_string = "TagA || TagB";
  s.tags_set = {"TagA", "TagB"};
  s.code_set = {2598969, 2598970};
  s.sub_version = 1700000000000;
  c.subscriptions.push_back(s);
  hb.consumers.push_back(c);
  EXPECT_EQ(EncodeHeartbeatData(hb),
            R"({"clientID":"10.0.0.1@123","consumerDataSet":[{"consumeFromWhere":)"
            R"("CONSUME_FROM_FIRST_OFFSET","consumeType":"CONSUME_PASSIVELY","groupName":"CG",)"
            R"("messageModel":"BROADCASTING","subscriptionDataSet":[{"classFilterMode":false,)"
            R"("codeSet":[2598969,2598970],"expressionType":"TAG","subString":"TagA || TagB",)"
            R"("subVersion":1700000000000,"tagsSet":["TagA","TagB"],"topic":"T"}],)"
            R"("unitMode":false}],"producerDataSet":[{"groupName":"PG"}]})");
}

TEST(HeartbeatDataTest, EmptySetsAreEmptyArrays) {
  HeartbeatData hb;
  hb.client_id = "c";
  EXPECT_EQ(EncodeHeartbeatData(hb),
            R"({"clientID":"c","consumerDataSet":[],"producerDataSet":[]})");
}

TEST(HeartbeatDataTest, EnumNames) {
  EXPECT_STREQ(MessageModelName(MessageModel::kClustering), "CLUSTERING");
  EXPECT_STREQ(ConsumeFromWhereName(ConsumeFromWhere::kConsumeFromLastOffset),
               "CONSUME_FROM_LAST_OFFSET");
  EXPECT_STREQ(ConsumeFromWhereName(ConsumeFromWhere::kConsumeFromTimestamp),
               "CONSUME_FROM_TIMESTAMP");
}

}  // namespace
}  // namespace holdfast::client
