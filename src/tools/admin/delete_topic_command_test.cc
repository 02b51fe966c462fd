#include "tools/admin/delete_topic_command.h"

#include "tools/admin/admin_test_fixture.h"
#include "tools/admin/topic_list_command.h"
#include "tools/admin/topic_route_command.h"

namespace holdfast::tools::admin {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class DeleteTopicCommandTest : public AdminFixture {};

TEST_F(DeleteTopicCommandTest, RemovesTheTopicFromBrokerAndNameServer) {
  CreateTopic("Doomed");
  CreateTopic("Kept");
  const std::string deleted = Output([](AdminContext& c, std::ostream& out) {
    return DeleteTopic(c, {.topic = "Doomed", .cluster = "DefaultCluster"}, out);
  });
  EXPECT_THAT(deleted, HasSubstr("delete topic [Doomed] from cluster [DefaultCluster] success."));
  EXPECT_THAT(deleted, HasSubstr("delete topic [Doomed] from NameServer success."));
  EXPECT_FALSE(broker_->topic_config_manager().SelectTopicConfig("Doomed").has_value());
  const std::string list =
      Output([](AdminContext& c, std::ostream& out) { return TopicList(c, out); });
  EXPECT_THAT(list, Not(HasSubstr("Doomed")));
  EXPECT_THAT(list, HasSubstr("Kept\n"));
  EXPECT_TRUE(ctx_->GetTopicRoute("Doomed").status().IsNotFound());
}

TEST_F(DeleteTopicCommandTest, UnknownTopicOrClusterIsAnError) {
  EXPECT_THAT(Failure([](AdminContext& c, std::ostream& out) {
                return DeleteTopic(c, {.topic = "Never", .cluster = "DefaultCluster"}, out);
              }).message(),
              HasSubstr("topic Never does not exist"));
  CreateTopic("Here");
  EXPECT_TRUE(Failure([](AdminContext& c, std::ostream& out) {
                return DeleteTopic(c, {.topic = "Here", .cluster = "Elsewhere"}, out);
              }).IsNotFound());
  EXPECT_TRUE(broker_->topic_config_manager().SelectTopicConfig("Here").has_value());
}

}  // namespace
}  // namespace holdfast::tools::admin
