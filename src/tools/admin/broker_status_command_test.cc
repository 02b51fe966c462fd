#include "tools/admin/broker_status_command.h"

#include "tools/admin/admin_test_fixture.h"

namespace holdfast::tools::admin {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class BrokerStatusCommandTest : public AdminFixture {};

TEST_F(BrokerStatusCommandTest, PrintsRuntimeKeysOfABrokerOrACluster) {
  const std::string status = Output([this](AdminContext& c, std::ostream& out) {
    return BrokerStatus(c, {.broker_addr = BrokerAddr()}, out);
  });
  EXPECT_THAT(status, HasSubstr("brokerVersionDesc"));
  EXPECT_THAT(status, HasSubstr("commitLogMaxOffset"));
  EXPECT_THAT(status, HasSubstr("runtime                         : [ 0 days"));

  const std::string by_cluster = Output([](AdminContext& c, std::ostream& out) {
    return BrokerStatus(c, {.cluster = "DefaultCluster"}, out);
  });
  EXPECT_THAT(by_cluster, StartsWith(BrokerAddr()));
  EXPECT_THAT(by_cluster, HasSubstr("bootTimestamp"));

  EXPECT_TRUE(Failure([](AdminContext& c, std::ostream& out) {
                return BrokerStatus(c, {}, out);
              }).code() == Status::Code::kInvalidArgument);
  EXPECT_THAT(Failure([](AdminContext& c, std::ostream& out) {
                return BrokerStatus(c, {.broker_addr = "127.0.0.1:1"}, out);
              }).message(),
              HasSubstr("runtime info at broker 127.0.0.1:1"));
}

}  // namespace
}  // namespace holdfast::tools::admin
