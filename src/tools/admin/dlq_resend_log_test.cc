#include "tools/admin/dlq_resend_log.h"

#include <gtest/gtest.h>

namespace holdfast::tools::admin {
namespace {

TEST(ResendRecordTest, RoundTripsAndRefusesWhatIsNoRecord) {
  const ResendRecord r{.group = "CG",
                       .msg_id = "ID1",
                       .dlq_msg_id = "0A00000100002A9F0000000000001000",
                       .dlq_broker = "broker-a",
                       .dlq_queue_offset = 7,
                       .target_topic = "Orders",
                       .target_broker = "broker-b",
                       .sent_msg_id = "0A00000200002A9F0000000000002000",
                       .resent_at = 1'700'000'000'000,
                       .resent_by = "ops@host",
                       .forced = true};
  Result<ResendRecord> back = DecodeResendRecord(EncodeResendRecord(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, r);
  EXPECT_FALSE(DecodeResendRecord("hello").ok());
  Result<ResendRecord> partial = DecodeResendRecord(R"({"group":"CG","msgId":"ID1"})");
  ASSERT_FALSE(partial.ok());
  EXPECT_NE(partial.status().message().find("dlqMsgId"), std::string::npos);
}

TEST(ResendRecordTest, ResendsAreCountedPerDeadLetter) {
  std::vector<ResendRecord> log = {{.dlq_msg_id = "A"}, {.dlq_msg_id = "B"}, {.dlq_msg_id = "A"}};
  EXPECT_EQ(ResendsByDeadLetter(log), (std::map<std::string, int>{{"A", 2}, {"B", 1}}));
}

}  // namespace
}  // namespace holdfast::tools::admin
