#include "tools/admin/cluster_list_command.h"

#include "tools/admin/admin_test_fixture.h"

namespace holdfast::tools::admin {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class ClusterListCommandTest : public AdminFixture {};

TEST_F(ClusterListCommandTest, ListsTheBrokerWithItsVersion) {
  const std::string list =
      Output([](AdminContext& c, std::ostream& out) { return ClusterList(c, {}, out); });
  EXPECT_THAT(list, StartsWith("#Cluster Name"));
  std::istringstream lines(list);
  std::string header, row;
  std::getline(lines, header);
  ASSERT_TRUE(std::getline(lines, row));
  std::istringstream fields(row);
  std::string cluster, name, id, addr, version;
  fields >> cluster >> name >> id >> addr >> version;
  EXPECT_EQ(cluster, "DefaultCluster");
  EXPECT_EQ(name, "broker-a");
  EXPECT_EQ(id, "0");
  EXPECT_EQ(addr, BrokerAddr());
  EXPECT_THAT(version, StartsWith("V"));
  EXPECT_FALSE(std::getline(lines, row));  // one broker only

  EXPECT_TRUE(Failure([](AdminContext& c, std::ostream& out) {
                return ClusterList(c, {.cluster = "Nope"}, out);
              }).IsNotFound());
}

TEST_F(ClusterListCommandTest, DeadNameServerIsAClearError) {
  AdminContext dead("127.0.0.1:1", std::chrono::milliseconds(500));
  std::ostringstream out;
  Status s = ClusterList(dead, {}, out);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("no name server answered"));
}

}  // namespace
}  // namespace holdfast::tools::admin
