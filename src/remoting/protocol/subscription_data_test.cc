#include "remoting/protocol/subscription_data.h"

#include <gtest/gtest.h>

#include "common/java_hash.h"

namespace holdfast::protocol {
namespace {

TEST(SubscriptionDataTest, StarAndBlankSelectEverythingAsFilterApiDoes) {
  for (const char* expr : {"*", "", " * ", "|| ||"}) {
    SubscriptionData all = BuildSubscriptionData("T", expr, "", 7);
    EXPECT_EQ(all.sub_string, "*") << expr;
    EXPECT_TRUE(all.tags_set.empty());
    EXPECT_TRUE(all.code_set.empty());
    EXPECT_EQ(all.expression_type, "TAG");
    EXPECT_EQ(all.sub_version, 7);
    EXPECT_TRUE(MatchesTag(all, "anything"));
    EXPECT_TRUE(MatchesTag(all, ""));
  }
}

TEST(SubscriptionDataTest, TagsAreSplitTrimmedAndHashedAsJava) {
  SubscriptionData s = BuildSubscriptionData("T", "TagA || TagB||  TagC ||TagA", "TAG", 1);
  EXPECT_EQ(s.sub_string, "TagA || TagB||  TagC ||TagA");
  EXPECT_EQ(s.tags_set, (std::set<std::string>{"TagA", "TagB", "TagC"}));
  // "TagA".hashCode() in Java is 2598919 (84*31^3 + 97*31^2 + 103*31 + 65).
  EXPECT_EQ(JavaStringHashCode("TagA"), 2598919);
  EXPECT_EQ(s.code_set, (std::set<int32_t>{JavaStringHashCode("TagA"), JavaStringHashCode("TagB"),
                                           JavaStringHashCode("TagC")}));
  EXPECT_EQ(ParseSubscriptionTags("TagA || TagB||  TagC ||TagA"),
            (std::vector<std::string>{"TagA", "TagB", "TagC"}));
  EXPECT_TRUE(MatchesTag(s, "TagB"));
  EXPECT_FALSE(MatchesTag(s, "TagD"));
  EXPECT_FALSE(MatchesTag(s, ""));
}

TEST(SubscriptionDataTest, OtherExpressionTypesKeepOnlyTheText) {
  SubscriptionData sql = BuildSubscriptionData("T", "a > 1", "SQL92", 0);
  EXPECT_EQ(sql.expression_type, "SQL92");
  EXPECT_EQ(sql.sub_string, "a > 1");
  EXPECT_TRUE(sql.tags_set.empty());
}

TEST(SubscriptionDataTest, JsonRoundTripsAndIgnoresThePeersCodes) {
  const SubscriptionData s = BuildSubscriptionData("T", "TagA || TagB", "TAG", 1700000000000);
  Result<SubscriptionData> back = SubscriptionData::FromJson(s.ToJson(), "sub");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, s);

  nlohmann::json cpp = s.ToJson();
  cpp["codeSet"] = {0};  // what a C++ client sends: atoi(tag)
  cpp["subVersion"] = "1700000000000";
  back = SubscriptionData::FromJson(cpp, "sub");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, s);

  Result<SubscriptionData> no_topic = SubscriptionData::FromJson(nlohmann::json::object(), "sub");
  ASSERT_TRUE(no_topic.status().IsCorruption());
  EXPECT_NE(no_topic.status().message().find("sub.topic"), std::string::npos);
}

}  // namespace
}  // namespace holdfast::protocol
