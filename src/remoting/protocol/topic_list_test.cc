#include "remoting/protocol/topic_list.h"

#include <gtest/gtest.h>

#include "remoting/protocol/kv_table.h"

namespace holdfast::protocol {
namespace {

TEST(TopicListTest, RoundTripsAndRejectsOtherShapes) {
  const TopicList list{{"TopicA", "TopicB", "%RETRY%G"}};
  EXPECT_EQ(EncodeTopicList(list), R"({"topicList":["%RETRY%G","TopicA","TopicB"]})");
  Result<TopicList> back = DecodeTopicList(EncodeTopicList(list));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, list);
  EXPECT_TRUE(DecodeTopicList(R"({"topicList":[]})").ok());
  EXPECT_TRUE(DecodeTopicList(R"({"topics":[]})").status().IsCorruption());
  EXPECT_TRUE(DecodeTopicList(R"({"topicList":[1]})").status().IsCorruption());
}

TEST(KvTableTest, RoundTripsAndKeepsNumbersAsText) {
  const KVTable table{{{"brokerVersion", "479"}, {"runtime", "[ 0 days ]"}}};
  EXPECT_EQ(EncodeKvTable(table), R"({"table":{"brokerVersion":"479","runtime":"[ 0 days ]"}})");
  Result<KVTable> back = DecodeKvTable(EncodeKvTable(table));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, table);
  Result<KVTable> numbers = DecodeKvTable(R"({"table":{"n":42,"b":true}})");
  ASSERT_TRUE(numbers.ok());
  EXPECT_EQ(numbers->table.at("n"), "42");
  EXPECT_EQ(numbers->table.at("b"), "true");
  EXPECT_TRUE(DecodeKvTable("{}").status().IsCorruption());
}

}  // namespace
}  // namespace holdfast::protocol
