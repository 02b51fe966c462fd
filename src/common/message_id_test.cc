#include "common/message_id.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <set>

namespace holdfast {
namespace {

TEST(MessageIdTest, OffsetMsgIdRoundTrips) {
  HostAddress host = HostAddress::Ipv4(10, 0, 0, 2, 10911);
  std::string id = CreateOffsetMsgId(host, 0x123456789A);
  EXPECT_EQ(id, "0A00000200002A9F000000123456789A");
  Result<OffsetMsgId> decoded = DecodeOffsetMsgId(id);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->store_host, host);
  EXPECT_EQ(decoded->commit_log_offset, 0x123456789A);
  EXPECT_FALSE(DecodeOffsetMsgId("XYZ").ok());
}

TEST(MessageIdTest, UniqIdHasTheClientIdSetterLayoutAndIsUnique) {
  HostAddress host = HostAddress::Ipv4(192, 168, 1, 7, 0);
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    std::string id = CreateUniqId(host);
    ASSERT_EQ(id.size(), 32u);
    EXPECT_EQ(id.substr(0, 8), "C0A80107");  // the IP
    char pid[5];
    snprintf(pid, sizeof(pid), "%04X", static_cast<unsigned>(getpid()) & 0xFFFF);
    EXPECT_EQ(id.substr(8, 4), pid);
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 1000u);
  // Bytes 10..13: ms since the start of the month, so below 31 days of ms.
  std::string id = CreateUniqId(host);
  uint32_t since_month = std::stoul(id.substr(20, 8), nullptr, 16);
  EXPECT_LT(since_month, 31u * 24 * 3600 * 1000);
}

TEST(MessageIdTest, ParsesIpv4Addresses) {
  Result<HostAddress> h = ParseIpv4Address("1.2.3.4:5");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(*h, HostAddress::Ipv4(1, 2, 3, 4, 5));
  EXPECT_FALSE(ParseIpv4Address("1.2.3:5").ok());
  EXPECT_FALSE(ParseIpv4Address("1.2.3.4:99999").ok());
}

}  // namespace
}  // namespace holdfast
