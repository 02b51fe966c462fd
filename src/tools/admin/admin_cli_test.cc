#include "tools/admin/admin_cli.h"

#include <sstream>

#include "tools/admin/admin_test_fixture.h"

namespace holdfast::tools::admin {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class AdminCliTest : public AdminFixture {
 protected:
  // Parses `args` (after the program name) as `holdfast` would and runs the admin command.
  int Run(std::vector<std::string> args) {
    CLI::App app;
    AdminCli admin(&app);
    args.insert(args.begin(), "holdfast");
    std::vector<const char*> argv;
    for (const std::string& a : args) argv.push_back(a.c_str());
    app.parse(static_cast<int>(argv.size()), argv.data());
    EXPECT_TRUE(admin.parsed());
    return admin.Run(out_, err_);
  }

  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(AdminCliTest, MqadminFlagsReachTheCommandAndNameServersFailOver) {
  // The first name server is dead: the command goes on to the second.
  EXPECT_EQ(Run({"admin", "updateTopic", "-n", "127.0.0.1:1;" + NamesrvAddr(), "-c",
                 "DefaultCluster", "-t", "CliTopic", "-r", "2", "-w", "2", "-p", "6"}),
            0)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("create topic to " + BrokerAddr() + " success."));
  auto config = broker_->topic_config_manager().SelectTopicConfig("CliTopic");
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->write_queue_nums, 2);
  EXPECT_EQ(Run({"admin", "topicList", "-n", NamesrvAddr()}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("CliTopic\n"));
}

TEST_F(AdminCliTest, FailureIsNonZeroWithAMessageNamingTheCommand) {
  EXPECT_EQ(Run({"admin", "clusterList", "-n", "127.0.0.1:1"}), 1);
  EXPECT_THAT(err_.str(), StartsWith("holdfast admin clusterList: "));
  EXPECT_THAT(err_.str(), HasSubstr("no name server answered"));
  EXPECT_EQ(Run({"admin", "queryMsgById", "-n", NamesrvAddr(), "-i", "XYZ"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("'XYZ' is not an offsetMsgId"));
}

TEST_F(AdminCliTest, DlqCommandsAreRegisteredAndTakeACommaSeparatedSelection) {
  CreateTopic("%DLQ%CliGroup", 1);  // an empty DLQ
  EXPECT_EQ(Run({"admin", "dlqList", "-n", NamesrvAddr(), "-g", "CliGroup"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("DLQ depth: 0 ("));
  EXPECT_EQ(Run({"admin", "dlqResend", "-n", NamesrvAddr(), "-g", "CliGroup", "-i", "A,B",
                 "--to-retry", "--force"}),
            1);
  EXPECT_THAT(out_.str(), HasSubstr("not found A: "));
  EXPECT_THAT(out_.str(), HasSubstr("not found B: "));
  EXPECT_THAT(err_.str(), StartsWith("holdfast admin dlqResend: 2 of the selected"));
  EXPECT_EQ(Run({"admin", "dlqExport", "-n", NamesrvAddr(), "-g", "CliGroup"}), 0) << err_.str();
}

TEST_F(AdminCliTest, BadFlagsAreRefusedByTheParser) {
  CLI::App app;
  AdminCli admin(&app);
  const char* argv[] = {"holdfast", "admin", "updateTopic", "-t", "T", "-p", "5"};
  EXPECT_THROW(app.parse(7, argv), CLI::ValidationError);
}

}  // namespace
}  // namespace holdfast::tools::admin
