#include "tools/commands/server_runner.h"

#include <gtest/gtest.h>

namespace holdfast::tools::commands {
namespace {

TEST(ParsePropertySetsTest, AddsEachKeyValueAndRefusesAnItemWithoutAKey) {
  broker::PropertyOverrides overrides{{"listenPort", "10911"}};
  ASSERT_TRUE(ParsePropertySets({"listenPort=10912", "brokerIP1=a=b"}, &overrides).ok());
  EXPECT_EQ(overrides["listenPort"], "10912");
  EXPECT_EQ(overrides["brokerIP1"], "a=b");
  EXPECT_FALSE(ParsePropertySets({"=x"}, &overrides).ok());
}

}  // namespace
}  // namespace holdfast::tools::commands
