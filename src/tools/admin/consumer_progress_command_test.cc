#include "tools/admin/consumer_progress_command.h"

#include "tools/admin/admin_test_fixture.h"
#include "tools/admin/update_sub_group_command.h"

namespace holdfast::tools::admin {
namespace {

using ::testing::HasSubstr;

class ConsumerProgressCommandTest : public AdminFixture {};

TEST_F(ConsumerProgressCommandTest, UpdateSubGroupThenProgressShowsDiffs) {
  UpdateSubGroupOptions group;
  group.config.group_name = "CG";
  group.config.retry_max_times = 3;
  group.cluster = "DefaultCluster";
  const std::string created =
      Output([&](AdminContext& c, std::ostream& out) { return UpdateSubGroup(c, group, out); });
  EXPECT_THAT(created, HasSubstr("create subscription group to " + BrokerAddr() + " success."));
  auto config = broker_->subscription_group_manager().FindSubscriptionGroupConfig("CG");
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->retry_max_times, 3);

  // No offsets yet: nothing to show, and the user is told why.
  EXPECT_THAT(Failure([](AdminContext& c, std::ostream& out) {
                return ConsumerProgress(c, {.group = "CG"}, out);
              }).message(),
              HasSubstr("has no consume offsets"));

  CreateTopic("Progress", 2);
  for (int i = 0; i < 5; ++i) Send("Progress", 0, "m", "");
  for (int i = 0; i < 3; ++i) Send("Progress", 1, "m", "");
  ASSERT_TRUE(WaitDispatched("Progress", 0, 5));
  ASSERT_TRUE(WaitDispatched("Progress", 1, 3));
  broker_->consumer_offset_manager().CommitOffset("CG", "Progress", 0, 2);
  broker_->consumer_offset_manager().CommitOffset("CG", "Progress", 1, 3);

  const std::string progress = Output(
      [](AdminContext& c, std::ostream& out) { return ConsumerProgress(c, {.group = "CG"}, out); });
  EXPECT_THAT(progress, HasSubstr("#Broker Offset"));
  std::istringstream lines(progress);
  std::string line;
  std::getline(lines, line);  // header
  for (int q = 0; q < 2; ++q) {
    ASSERT_TRUE(std::getline(lines, line));
    std::istringstream row(line);
    std::string topic, broker;
    int qid = -1;
    int64_t broker_offset = -1, consumer_offset = -1, diff = -1;
    row >> topic >> broker >> qid >> broker_offset >> consumer_offset >> diff;
    EXPECT_EQ(topic, "Progress");
    EXPECT_EQ(broker, "broker-a");
    EXPECT_EQ(qid, q);
    EXPECT_EQ(broker_offset, q == 0 ? 5 : 3);
    EXPECT_EQ(consumer_offset, q == 0 ? 2 : 3);
    EXPECT_EQ(diff, q == 0 ? 3 : 0);
  }
  EXPECT_THAT(progress, HasSubstr("Consume Diff Total: 3\n"));
}

TEST_F(ConsumerProgressCommandTest, BadInputIsAnError) {
  UpdateSubGroupOptions both;
  both.config.group_name = "G";
  both.cluster = "DefaultCluster";
  both.broker_addr = BrokerAddr();
  EXPECT_THAT(Failure([&](AdminContext& c, std::ostream& out) {
                return UpdateSubGroup(c, both, out);
              }).message(),
              HasSubstr("either -b brokerAddr or -c clusterName"));
  EXPECT_TRUE(Failure([](AdminContext& c, std::ostream& out) {
                return ConsumerProgress(c, {}, out);
              }).code() == Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace holdfast::tools::admin
