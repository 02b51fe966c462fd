#include "remoting/ext_fields.h"

#include <gtest/gtest.h>

namespace holdfast::remoting {
namespace {

std::string Keys(const ExtFields& f) {
  std::string out;
  for (const auto& [key, value] : f) out += key + "=" + value + ";";
  return out;
}

TEST(ExtFieldsTest, IteratesInKeyOrderWhateverTheInsertionOrder) {
  ExtFields f;
  for (const char* k : {"m", "a", "z", "c", "b"}) f.try_emplace(std::string(k), std::string(k));
  EXPECT_EQ(Keys(f), "a=a;b=b;c=c;m=m;z=z;");
  EXPECT_EQ(f.size(), 5u);
}

TEST(ExtFieldsTest, TryEmplaceKeepsThePresentValueAndLeavesItsArgumentsAlone) {
  ExtFields f{{"k", "first"}};
  std::string key = "k";
  std::string value = "second";
  auto [it, inserted] = f.try_emplace(std::move(key), std::move(value));
  EXPECT_FALSE(inserted);
  EXPECT_EQ(it->second, "first");
  EXPECT_EQ(value, "second");  // not moved from, as std::map promises
  EXPECT_EQ(key, "k");
}

TEST(ExtFieldsTest, InsertOrAssignReplacesAndInserts) {
  ExtFields f{{"a", "1"}};
  EXPECT_FALSE(f.insert_or_assign("a", "2").second);
  EXPECT_TRUE(f.insert_or_assign("b", "3").second);
  EXPECT_EQ(Keys(f), "a=2;b=3;");
}

TEST(ExtFieldsTest, FindCountAndEraseByAnyStringLikeKey) {
  ExtFields f{{"topic", "T"}, {"queueId", "3"}};
  std::string_view key = "topic";
  ASSERT_NE(f.find(key), f.end());
  EXPECT_EQ(f.find(key)->second, "T");
  EXPECT_EQ(f.find("missing"), f.end());
  EXPECT_EQ(f.count("queueId"), 1u);
  EXPECT_EQ(f.erase("queueId"), 1u);
  EXPECT_EQ(f.erase("queueId"), 0u);
  EXPECT_EQ(f.count("queueId"), 0u);
  EXPECT_EQ(Keys(f), "topic=T;");
}

TEST(ExtFieldsTest, InitializerListKeepsTheFirstOfEqualKeysAndEqualityComparesContents) {
  ExtFields f{{"a", "1"}, {"a", "2"}, {"b", "x"}};
  EXPECT_EQ(Keys(f), "a=1;b=x;");
  EXPECT_EQ(f, (ExtFields{{"b", "x"}, {"a", "1"}}));
  EXPECT_NE(f, (ExtFields{{"a", "1"}}));
  f.clear();
  EXPECT_TRUE(f.empty());
}

}  // namespace
}  // namespace holdfast::remoting
