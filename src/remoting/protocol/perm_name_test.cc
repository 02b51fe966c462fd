#include "remoting/protocol/perm_name.h"

#include <gtest/gtest.h>

namespace holdfast::protocol {
namespace {

TEST(PermNameTest, BitsReadAsRocketMqDoes) {
  EXPECT_TRUE(IsReadable(6));
  EXPECT_TRUE(IsWriteable(6));
  EXPECT_FALSE(IsInherited(6));
  EXPECT_FALSE(IsWriteable(kPermRead | kPermInherit));
  EXPECT_EQ(PermToString(kPermRead | kPermWrite), "RW-");
  EXPECT_EQ(PermToString(kPermRead | kPermInherit), "R-X");
  EXPECT_EQ(PermToString(0), "---");
}

}  // namespace
}  // namespace holdfast::protocol
