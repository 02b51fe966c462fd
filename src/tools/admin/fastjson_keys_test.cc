#include "tools/admin/fastjson_keys.h"

#include <gtest/gtest.h>

namespace holdfast::tools::admin {
namespace {

TEST(QuoteNonStringKeysTest, BareIntegerAndObjectKeysBecomeStrings) {
  auto quoted = QuoteNonStringKeys(R"({"brokerAddrs":{0:"1.2.3.4:10911", 1 :"x"}})");
  ASSERT_TRUE(quoted.ok()) << quoted.status().ToString();
  auto j = nlohmann::json::parse(*quoted);
  EXPECT_EQ(j["brokerAddrs"]["0"], "1.2.3.4:10911");
  EXPECT_EQ(j["brokerAddrs"]["1"], "x");

  quoted = QuoteNonStringKeys(R"({{"a":"}:{,","b":[1,{"c":2}]}:{"v":1}})");
  ASSERT_TRUE(quoted.ok()) << quoted.status().ToString();
  j = nlohmann::json::parse(*quoted);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j.begin().key(), R"({"a":"}:{,","b":[1,{"c":2}]})");
  EXPECT_EQ(j.begin().value()["v"], 1);
}

TEST(QuoteNonStringKeysTest, StandardJsonPassesThroughUnchanged) {
  const std::string text = R"({"a":[{"b":"x,{y}"},2],"c":{"d":"\"q\""},"e":{}})";
  auto quoted = QuoteNonStringKeys(text);
  ASSERT_TRUE(quoted.ok());
  EXPECT_EQ(*quoted, text);
}

TEST(QuoteNonStringKeysTest, UnclosedKeyOrStringIsCorruption) {
  EXPECT_TRUE(QuoteNonStringKeys(R"({{"a":1)").status().IsCorruption());
  EXPECT_TRUE(QuoteNonStringKeys(R"({"a":"open})").status().IsCorruption());
}

TEST(DecodeOffsetTableTest, ReadsMessageQueueKeysAsTheBrokerWritesThem) {
  const std::string body =
      R"({"offsetTable":{{"brokerName":"b","queueId":1,"topic":"T"}:{"maxOffset":7,"minOffset":0},)"
      R"({"brokerName":"b","queueId":0,"topic":"T"}:{"maxOffset":3,"minOffset":1}}})";
  auto table = DecodeOffsetTable(body);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->size(), 2u);
  for (const MessageQueueEntry& e : *table) {
    EXPECT_EQ(e.mq.topic, "T");
    EXPECT_EQ(e.mq.broker_name, "b");
    EXPECT_EQ(e.value["maxOffset"], e.mq.queue_id == 0 ? 3 : 7);
  }
  EXPECT_TRUE(DecodeOffsetTable(R"({"offsetTable":{}})").ok());
}

TEST(DecodeOffsetTableTest, RejectsWhatIsNotATable) {
  EXPECT_TRUE(DecodeOffsetTable("not json").status().IsCorruption());
  EXPECT_TRUE(DecodeOffsetTable(R"({"other":1})").status().IsCorruption());
  auto bad_key = DecodeOffsetTable(R"({"offsetTable":{{"topic":"T"}:{}}})");
  EXPECT_TRUE(bad_key.status().IsCorruption());
  EXPECT_NE(bad_key.status().message().find("not a MessageQueue"), std::string::npos);
}

}  // namespace
}  // namespace holdfast::tools::admin
