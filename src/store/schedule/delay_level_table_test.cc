#include "store/schedule/delay_level_table.h"

#include <gtest/gtest.h>

#include "store/schedule/delay_offset_table.h"

namespace holdfast::store::schedule {
namespace {

TEST(DelayLevelTableTest, TheDefaultHasRocketMqsEighteenLevels) {
  DelayLevelTable table;
  EXPECT_EQ(table.max_level(), 18);
  EXPECT_EQ(table.DelayMillis(1), 1000);
  EXPECT_EQ(table.DelayMillis(3), 10000);
  EXPECT_EQ(table.DelayMillis(5), 60000);
  EXPECT_EQ(table.DelayMillis(17), 3600000);
  EXPECT_EQ(table.DelayMillis(18), 7200000);
}

TEST(DelayLevelTableTest, ParsesEverySuffixAndClampsLevels) {
  auto table = DelayLevelTable::Parse("2s  3m 4h 1d");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->max_level(), 4);
  EXPECT_EQ(table->DelayMillis(1), 2000);
  EXPECT_EQ(table->DelayMillis(2), 180000);
  EXPECT_EQ(table->DelayMillis(3), 4 * 3600000LL);
  EXPECT_EQ(table->DelayMillis(4), 86400000LL);
  EXPECT_EQ(table->DelayMillis(99), 86400000LL);  // above the highest: the highest
  EXPECT_EQ(table->DelayMillis(0), 2000);
  EXPECT_EQ(table->DeliverTimestamp(2, 1000), 181000);
}

TEST(DelayLevelTableTest, ABadTokenIsAnErrorNamingIt) {
  struct Case {
    const char* text;
    const char* named;
  } cases[] = {{"1s 5x", "'5x'"},   {"1s s", "'s'"},       {"1s 0m", "'0m'"},
               {"1s -1m", "'-1m'"}, {"1s 1.5h", "'1.5h'"}, {"1s 99999999999999999d", "too long"}};
  for (const Case& c : cases) {
    auto table = DelayLevelTable::Parse(c.text);
    ASSERT_FALSE(table.ok()) << c.text;
    EXPECT_EQ(table.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(table.status().message().find(c.named), std::string::npos)
        << table.status().ToString();
    EXPECT_NE(table.status().message().find("level 2"), std::string::npos)
        << table.status().ToString();
  }
  EXPECT_FALSE(DelayLevelTable::Parse("").ok());
  EXPECT_FALSE(DelayLevelTable::Parse("   ").ok());
}

TEST(DelayOffsetTableTest, RoundTripsInFastjsonsFormAndReadsQuotedKeys) {
  DelayOffsetTable table{{1, 12}, {2, 0}, {18, 123456789012}};
  const std::string text = EncodeDelayOffsetTable(table);
  EXPECT_NE(text.find("\"offsetTable\":{1:12,2:0,18:123456789012}"), std::string::npos) << text;
  auto decoded = DecodeDelayOffsetTable(text, "f");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, table);

  auto quoted = DecodeDelayOffsetTable(
      R"({"dataVersion":{"counter":3},"offsetTable":{ "1" : 5 , "3":7 }})", "f");
  ASSERT_TRUE(quoted.ok()) << quoted.status().ToString();
  EXPECT_EQ(*quoted, (DelayOffsetTable{{1, 5}, {3, 7}}));
  auto empty = DecodeDelayOffsetTable(R"({"offsetTable":{}})", "f");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(DelayOffsetTableTest, DamageIsCorruptionNamingTheFile) {
  for (const char* text :
       {"", "{}", R"({"offsetTable":[1]})", R"({"offsetTable":{0:1}})", R"({"offsetTable":{1:x}})",
        R"({"offsetTable":{1:-2}})", R"({"offsetTable":{1:2)", R"({"offsetTable":{1 2}})"}) {
    auto decoded = DecodeDelayOffsetTable(text, "/s/config/delayOffset.json");
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_EQ(decoded.status().code(), Status::Code::kCorruption) << text;
    EXPECT_NE(decoded.status().message().find("delayOffset.json"), std::string::npos);
  }
}

}  // namespace
}  // namespace holdfast::store::schedule
