#include "client/subscription_data.h"

#include <gtest/gtest.h>

#include "common/java_hash.h"

namespace holdfast::client {
namespace {

TEST(SubscriptionDataTest, StarAndEmptySubscribeToEveryTag) {
  for (const std::string expr : {"*", "", " * "}) {
    Result<SubscriptionData> s = BuildSubscriptionData("T", expr);
    ASSERT_TRUE(s.ok()) << expr;
    EXPECT_EQ(s->sub_string, "*");
    EXPECT_TRUE(s->tags_set.empty()) << "as the Java client sends it: tagsSet []";
    EXPECT_TRUE(s->code_set.empty());
    EXPECT_EQ(s->expression_type, "TAG");
    EXPECT_GT(s->sub_version, 0);
    EXPECT_TRUE(Matches(*s, "anything"));
    EXPECT_TRUE(Matches(*s, ""));
  }
}

TEST(SubscriptionDataTest, TagsAreSplitTrimmedAndHashedAsJava) {
  Result<SubscriptionData> s = BuildSubscriptionData("T", "TagA || TagB||  TagC ||");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->sub_string, "TagA || TagB||  TagC ||");
  EXPECT_EQ(s->tags_set, (std::set<std::string>{"TagA", "TagB", "TagC"}));
  // "TagA".hashCode() in Java is 2598919 (84*31^3 + 97*31^2 + 103*31 + 65).
  EXPECT_EQ(JavaStringHashCode("TagA"), 2598919);
  EXPECT_EQ(s->code_set, (std::set<int32_t>{JavaStringHashCode("TagA"), JavaStringHashCode("TagB"),
                                            JavaStringHashCode("TagC")}));
  EXPECT_TRUE(Matches(*s, "TagB"));
  EXPECT_FALSE(Matches(*s, "TagD"));
  EXPECT_FALSE(Matches(*s, ""));
}

TEST(SubscriptionDataTest, BadInputIsRejected) {
  EXPECT_EQ(BuildSubscriptionData("", "*").status().code(), Status::Code::kInvalidArgument);
  Result<SubscriptionData> s = BuildSubscriptionData("T", "|| ||");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("names no tag"), std::string::npos);
}

}  // namespace
}  // namespace holdfast::client
