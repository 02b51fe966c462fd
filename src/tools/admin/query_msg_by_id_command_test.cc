#include "tools/admin/query_msg_by_id_command.h"

#include "tools/admin/admin_test_fixture.h"

namespace holdfast::tools::admin {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

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

TEST_F(QueryMsgByIdCommandTest, WithATopicAUniqKeyIsLookedUpInTheIndex) {
  CreateTopic("ByUniq");
  const std::string uniq = "C0A8000100002A9F0000000000000042";
  const std::string offset_id = SendWithKeys("ByUniq", 1, "unique body", "k", "TagU", uniq);
  SendWithKeys("ByUniq", 1, "other body", "k", "TagU", "C0A8000100002A9F0000000000000043");
  std::string shown;
  ASSERT_TRUE(holdfast::testing::WaitUntil([&] {
    std::ostringstream out;
    Status s = QueryMsgById(*ctx_, {.msg_id = uniq, .topic = "ByUniq"}, out);
    shown = out.str();
    return s.ok();
  })) << shown;
  EXPECT_THAT(shown, HasSubstr("OffsetID:            " + offset_id + "\n"));
  EXPECT_THAT(shown, HasSubstr("Message Body:        unique body\n"));
  EXPECT_THAT(shown, Not(HasSubstr("other body")));
  EXPECT_TRUE(Failure([](AdminContext& c, std::ostream& out) {
                return QueryMsgById(c, {.msg_id = "NOPE", .topic = "ByUniq"}, out);
              }).IsNotFound());
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
