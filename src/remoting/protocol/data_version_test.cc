#include "remoting/protocol/data_version.h"

#include <gtest/gtest.h>

namespace holdfast::protocol {
namespace {

TEST(DataVersionTest, RoundTripsAndWritesFastjsonKeyOrder) {
  const DataVersion v{.counter = 3, .state_version = 1, .timestamp = 1700000000000};
  EXPECT_EQ(EncodeDataVersion(v), R"({"counter":3,"stateVersion":1,"timestamp":1700000000000})");
  Result<DataVersion> back = DecodeDataVersion(EncodeDataVersion(v));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, v);
}

TEST(DataVersionTest, ReadsA4xBrokersVersionAndNumericStrings) {
  // 4.x brokers have no stateVersion; fastjson peers may quote numbers.
  Result<DataVersion> v = DecodeDataVersion(R"({"counter":"7","timestamp":9})");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, (DataVersion{.counter = 7, .state_version = 0, .timestamp = 9}));
}

TEST(DataVersionTest, BadInputIsCorruptionNamingTheField) {
  EXPECT_TRUE(DecodeDataVersion("[1]").status().IsCorruption());
  Result<DataVersion> v = DecodeDataVersion(R"({"counter":"many"})");
  ASSERT_TRUE(v.status().IsCorruption());
  EXPECT_NE(v.status().message().find("dataVersion.counter"), std::string::npos);
}

TEST(DataVersionTest, NextVersionCountsAndStamps) {
  DataVersion v;
  v.NextVersion();
  v.NextVersion();
  EXPECT_EQ(v.counter, 2);
  EXPECT_GT(v.timestamp, 0);
}

}  // namespace
}  // namespace holdfast::protocol
