#include "remoting/protocol/topic_config.h"

#include <gtest/gtest.h>

namespace holdfast::protocol {
namespace {

TEST(TopicConfigTest, DefaultsAndJsonRoundTrip) {
  TopicConfig defaults("T");
  EXPECT_EQ(defaults.read_queue_nums, 16);
  EXPECT_EQ(defaults.write_queue_nums, 16);
  EXPECT_EQ(defaults.perm, 6);
  EXPECT_EQ(defaults.topic_filter_type, TopicFilterType::kSingleTag);
  EXPECT_EQ(defaults.topic_sys_flag, 0);
  EXPECT_FALSE(defaults.order);
  EXPECT_EQ(defaults.ToJson().dump(),
            R"({"attributes":{},"order":false,"perm":6,"readQueueNums":16,)"
            R"("topicFilterType":"SINGLE_TAG","topicName":"T","topicSysFlag":0,)"
            R"("writeQueueNums":16})");

  TopicConfig c("Orders", 4, 8, kPermRead);
  c.topic_filter_type = TopicFilterType::kMultiTag;
  c.topic_sys_flag = 2;
  c.order = true;
  c.attributes["message.type"] = "FIFO";
  auto back = TopicConfig::FromJson(c.ToJson());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, c);
}

TEST(TopicConfigTest, FromJsonRejectsWrongTypes) {
  auto bad = TopicConfig::FromJson(nlohmann::json{{"topicName", "T"}, {"perm", "six"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().IsCorruption());
  EXPECT_FALSE(
      TopicConfig::FromJson(nlohmann::json{{"topicName", "T"}, {"topicFilterType", "X"}}).ok());
  EXPECT_FALSE(TopicConfig::FromJson(nlohmann::json{{"readQueueNums", -1}}).ok());
}

TEST(TopicConfigTest, TextFormRoundTripsAsTopicConfigEncodeWritesIt) {
  TopicConfig plain("TopicA", 4, 4, kPermRead | kPermWrite);
  EXPECT_EQ(plain.EncodeText(), "TopicA 4 4 6 SINGLE_TAG");
  Result<TopicConfig> back = TopicConfig::DecodeText(plain.EncodeText());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, plain);

  TopicConfig fifo("TopicB", 8, 2, 7);
  fifo.topic_filter_type = TopicFilterType::kMultiTag;
  fifo.attributes["+message.type"] = "FIFO";
  EXPECT_EQ(fifo.EncodeText(), R"(TopicB 8 2 7 MULTI_TAG {"+message.type":"FIFO"})");
  back = TopicConfig::DecodeText(fifo.EncodeText());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, fifo);
}

TEST(TopicConfigTest, TextFormRejectsWhatJavaRejects) {
  EXPECT_TRUE(TopicConfig::DecodeText("T 4 4 6").status().IsCorruption());
  EXPECT_TRUE(TopicConfig::DecodeText("T four 4 6 SINGLE_TAG").status().IsCorruption());
  EXPECT_TRUE(TopicConfig::DecodeText("T 4 4 6 NO_TAG").status().IsCorruption());
  EXPECT_TRUE(TopicConfig::DecodeText("T 4 4 6 SINGLE_TAG [").status().IsCorruption());
  EXPECT_TRUE(TopicConfig::DecodeText("").status().IsCorruption());
}

TEST(TopicConfigTest, JsonNumbersMayBeNumericStrings) {
  Result<TopicConfig> c = TopicConfig::FromJson(nlohmann::json{
      {"topicName", "T"}, {"perm", "6"}, {"readQueueNums", 2}, {"writeQueueNums", "3"}});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->perm, 6);
  EXPECT_EQ(c->write_queue_nums, 3);
}

}  // namespace
}  // namespace holdfast::protocol
