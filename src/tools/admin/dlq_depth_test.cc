#include "tools/admin/dlq_depth.h"

#include <fmt/format.h>

#include "tools/admin/broker_status_command.h"
#include "tools/admin/consumer_progress_command.h"
#include "tools/admin/dlq_resend_command.h"
#include "tools/admin/dlq_test_fixture.h"

namespace holdfast::tools::admin {
namespace {

using ::testing::HasSubstr;

class DlqDepthTest : public DlqFixture {};

TEST_F(DlqDepthTest, ShowsInBrokerStatusAndConsumerProgressAndResendsDoNotLowerIt) {
  CreateTopic("Orders", 1);
  WaitRouted("Orders");
  for (int i = 0; i < 3; ++i) {
    PutDeadLetter("CG", {.msg_id = "AC11000100002A9F000000000000010" + std::to_string(i),
                         .original_topic = "Orders"});
  }
  PutDeadLetter("Other", {.msg_id = "AC11000100002A9F0000000000000200", .original_topic = "T"});
  auto dlq_line = [](const std::string& key, int64_t value) {
    return fmt::format("{:<32}: {}\n", key, value);
  };

  std::string status = Output([this](AdminContext& c, std::ostream& out) {
    return BrokerStatus(c, {.broker_addr = BrokerAddr()}, out);
  });
  EXPECT_THAT(status, HasSubstr(dlq_line("dlqDepth_CG", 3)));
  EXPECT_THAT(status, HasSubstr(dlq_line("dlqResent_CG", 0)));
  EXPECT_THAT(status, HasSubstr(dlq_line("dlqDepth_Other", 1)));
  EXPECT_THAT(status, HasSubstr("brokerVersionDesc"));  // the runtime info is still there

  std::ostringstream resend_out;
  ASSERT_TRUE(
      DlqResend(*ctx_, {.group = "CG", .msg_ids = {"AC11000100002A9F0000000000000101"}}, resend_out)
          .ok())
      << resend_out.str();

  status = Output([](AdminContext& c, std::ostream& out) {
    return BrokerStatus(c, {.cluster = "DefaultCluster"}, out);
  });
  EXPECT_THAT(status,
              HasSubstr(fmt::format("{:<24} {:<32}: {}\n", BrokerAddr(), "dlqDepth_CG", 3)));
  EXPECT_THAT(status,
              HasSubstr(fmt::format("{:<24} {:<32}: {}\n", BrokerAddr(), "dlqResent_CG", 1)));
  EXPECT_THAT(status,
              HasSubstr(fmt::format("{:<24} {:<32}: {}\n", BrokerAddr(), "dlqResent_Other", 0)));

  broker_->consumer_offset_manager().CommitOffset("CG", "Orders", 0, 0);
  const std::string progress = Output(
      [](AdminContext& c, std::ostream& out) { return ConsumerProgress(c, {.group = "CG"}, out); });
  EXPECT_THAT(progress, HasSubstr("Consume Diff Total: 1\nDLQ Depth: 3 (resent: 1; a resend "
                                  "leaves the dead letter in the DLQ)\n"));

  Result<DlqDepth> none = GroupDlqDepth(*ctx_, "NoDeadLetters");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, DlqDepth{});
  Result<std::map<std::string, DlqDepth>> all = DlqDepthsAt(*ctx_, BrokerAddr());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, (std::map<std::string, DlqDepth>{{"CG", {3, 1}}, {"Other", {1, 0}}}));
}

}  // namespace
}  // namespace holdfast::tools::admin
