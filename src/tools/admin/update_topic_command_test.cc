#include "tools/admin/update_topic_command.h"

#include "tools/admin/admin_test_fixture.h"
#include "tools/admin/topic_list_command.h"
#include "tools/admin/topic_route_command.h"
#include "tools/admin/topic_status_command.h"

namespace holdfast::tools::admin {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class UpdateTopicCommandTest : public AdminFixture {};

TEST_F(UpdateTopicCommandTest, CreatedTopicShowsInListRouteAndStatus) {
  UpdateTopicOptions o{.topic = "AdminTopic", .cluster = "DefaultCluster"};
  o.read_queue_nums = 3;
  o.write_queue_nums = 3;
  const std::string created =
      Output([&](AdminContext& c, std::ostream& out) { return UpdateTopic(c, o, out); });
  EXPECT_THAT(created, HasSubstr("create topic to " + BrokerAddr() + " success."));
  EXPECT_THAT(created, HasSubstr("topicName=AdminTopic, readQueueNums=3, writeQueueNums=3, "
                                 "perm=RW-"));

  EXPECT_THAT(Output([](AdminContext& c, std::ostream& out) { return TopicList(c, out); }),
              HasSubstr("AdminTopic\n"));

  const std::string route = Output([](AdminContext& c, std::ostream& out) {
    return TopicRoute(c, {.topic = "AdminTopic"}, out);
  });
  auto j = nlohmann::json::parse(route);
  ASSERT_EQ(j["queueDatas"].size(), 1u);
  EXPECT_EQ(j["queueDatas"][0]["brokerName"], "broker-a");
  EXPECT_EQ(j["queueDatas"][0]["writeQueueNums"], 3);
  EXPECT_EQ(j["brokerDatas"][0]["brokerAddrs"]["0"], BrokerAddr());

  Send("AdminTopic", 1, "hello", "");
  Send("AdminTopic", 1, "again", "");
  ASSERT_TRUE(WaitDispatched("AdminTopic", 1, 2));
  const std::string status = Output([](AdminContext& c, std::ostream& out) {
    return TopicStatus(c, {.topic = "AdminTopic"}, out);
  });
  EXPECT_THAT(status, HasSubstr("#Broker Name"));
  EXPECT_THAT(status, HasSubstr("#Max Offset"));
  std::istringstream lines(status);
  std::string line;
  std::vector<std::string> rows;
  while (std::getline(lines, line)) rows.push_back(line);
  ASSERT_EQ(rows.size(), 4u);  // header and queues 0..2
  std::istringstream q1(rows[2]);
  std::string broker;
  int qid = -1;
  int64_t min = -1, max = -1;
  q1 >> broker >> qid >> min >> max;
  EXPECT_EQ(broker, "broker-a");
  EXPECT_EQ(qid, 1);
  EXPECT_EQ(min, 0);
  EXPECT_EQ(max, 2);
}

TEST_F(UpdateTopicCommandTest, OneBrokerByAddressAndOrderConf) {
  UpdateTopicOptions o{.topic = "ByAddr", .broker_addr = BrokerAddr()};
  o.perm = 4;
  EXPECT_THAT(Output([&](AdminContext& c, std::ostream& out) { return UpdateTopic(c, o, out); }),
              HasSubstr("perm=R--"));
  auto config = broker_->topic_config_manager().SelectTopicConfig("ByAddr");
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->perm, 4);

  UpdateTopicOptions ordered{.topic = "Ordered", .cluster = "DefaultCluster", .order = true};
  EXPECT_THAT(
      Output([&](AdminContext& c, std::ostream& out) { return UpdateTopic(c, ordered, out); }),
      HasSubstr("orderConf=[broker-a:8]"));
  auto kv = ctx_->CallNameServer(remoting::RequestCode::GET_KV_CONFIG,
                                 {{"namespace", "ORDER_TOPIC_CONFIG"}, {"key", "Ordered"}}, "kv");
  ASSERT_TRUE(kv.ok()) << kv.status().ToString();
  ASSERT_NE(kv->FindExtField("value"), nullptr);
  EXPECT_EQ(*kv->FindExtField("value"), "broker-a:8");
}

TEST_F(UpdateTopicCommandTest, BadInputIsAnErrorNamingIt) {
  UpdateTopicOptions neither{.topic = "T"};
  EXPECT_THAT(Failure([&](AdminContext& c, std::ostream& out) {
                return UpdateTopic(c, neither, out);
              }).message(),
              HasSubstr("-b brokerAddr or -c clusterName"));
  UpdateTopicOptions unknown{.topic = "T", .cluster = "NoSuchCluster"};
  EXPECT_THAT(Failure([&](AdminContext& c, std::ostream& out) {
                return UpdateTopic(c, unknown, out);
              }).message(),
              HasSubstr("cluster NoSuchCluster"));
  UpdateTopicOptions bad_name{.topic = "bad topic!", .broker_addr = BrokerAddr()};
  EXPECT_THAT(Failure([&](AdminContext& c, std::ostream& out) {
                return UpdateTopic(c, bad_name, out);
              }).message(),
              HasSubstr("SYSTEM_ERROR"));
  EXPECT_THAT(Failure([](AdminContext& c, std::ostream& out) {
                return TopicRoute(c, {.topic = "NoSuchTopic"}, out);
              }).message(),
              HasSubstr("topic NoSuchTopic does not exist"));
  EXPECT_TRUE(Failure([](AdminContext& c, std::ostream& out) {
                return TopicStatus(c, {.topic = "NoSuchTopic"}, out);
              }).IsNotFound());
}

}  // namespace
}  // namespace holdfast::tools::admin
