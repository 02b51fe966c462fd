#include "tools/admin/query_msg_by_id_command.h"

#include "tools/admin/admin_test_fixture.h"

namespace holdfast::tools::admin {
namespace {

using ::testing::HasSubstr;

class QueryMsgByIdCommandTest : public AdminFixture {};

TEST_F(QueryMsgByIdCommandTest, PrintsTheMessageTheIdNames) {
  CreateTopic("ById");
  SendWithKeys("ById", 2, "first body", "k0", "TagZ");
  const std::string id = SendWithKeys("ById", 2, "second body", "k1 k2", "TagA");
  ASSERT_EQ(id.size(), 32u);
  const std::string shown = Output(
      [&](AdminContext& c, std::ostream& out) { return QueryMsgById(c, {.msg_id = id}, out); });
  EXPECT_THAT(shown, HasSubstr("OffsetID:            " + id + "\n"));
  EXPECT_THAT(shown, HasSubstr("Topic:               ById\n"));
  EXPECT_THAT(shown, HasSubstr("Tags:                [TagA]\n"));
  EXPECT_THAT(shown, HasSubstr("Keys:                [k1 k2]\n"));
  EXPECT_THAT(shown, HasSubstr("Queue ID:            2\n"));
  EXPECT_THAT(shown, HasSubstr("Queue Offset:        1\n"));
  EXPECT_THAT(shown, HasSubstr("Store Host:          " + BrokerAddr() + "\n"));
  EXPECT_THAT(shown, HasSubstr("Message Body:        second body\n"));
}

TEST_F(QueryMsgByIdCommandTest, BadOrUnknownIdIsAnError) {
  EXPECT_THAT(Failure([](AdminContext& c, std::ostream& out) {
                return QueryMsgById(c, {.msg_id = "not-an-id"}, out);
              }).message(),
              HasSubstr("'not-an-id' is not an offsetMsgId"));
  // A well-formed id whose offset holds no message on this broker.
  auto host = ParseIpv4Address(BrokerAddr());
  ASSERT_TRUE(host.ok());
  const std::string nowhere = CreateOffsetMsgId(*host, 1'000'000);
  EXPECT_THAT(Failure([&](AdminContext& c, std::ostream& out) {
                return QueryMsgById(c, {.msg_id = nowhere}, out);
              }).message(),
              HasSubstr("at broker " + BrokerAddr()));
}

}  // namespace
}  // namespace holdfast::tools::admin
