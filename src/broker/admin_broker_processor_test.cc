// AdminBrokerProcessor over real TCP: the admin codes as mqadmin sends them, with every value a
// string, against an in-process broker and name server on loopback.
#include "broker/admin_broker_processor.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "broker/broker_test_fixture.h"
#include "common/message.h"
#include "remoting/protocol/mq_version.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"
#include "tests/support/wait_until.h"

namespace holdfast::broker {
namespace {

using nlohmann::json;
using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;

// The header mqadmin updateTopic sends.
std::map<std::string, std::string> CreateTopicFields(const std::string& topic, int read = 4,
                                                     int write = 4) {
  return {{"topic", topic},
          {"defaultTopic", "TBW102"},
          {"readQueueNums", std::to_string(read)},
          {"writeQueueNums", std::to_string(write)},
          {"perm", "6"},
          {"topicFilterType", "SINGLE_TAG"},
          {"topicSysFlag", "0"},
          {"order", "false"}};
}

// Parses fastjson's {"offsetTable":{{"brokerName":..,"queueId":..,"topic":..}:{..},..}} into
// "topic/queueId" -> value, checking each key's brokerName.
std::map<std::string, json> ParseOffsetTable(const std::string& body,
                                             const std::string& broker_name) {
  std::map<std::string, json> out;
  EXPECT_TRUE(body.starts_with("{\"offsetTable\":{")) << body;
  static const std::regex kEntry(
      R"re(\{"brokerName":"([^"]*)","queueId":(\d+),"topic":"([^"]*)"\}:(\{[^{}]*\}))re");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), kEntry);
       it != std::sregex_iterator(); ++it) {
    EXPECT_EQ((*it)[1].str(), broker_name);
    out[(*it)[3].str() + "/" + (*it)[2].str()] = json::parse((*it)[4].str());
  }
  return out;
}

std::string Properties(const std::string& keys) {
  return EncodeProperties({{"KEYS", keys}, {"TAGS", "TagA"}, {"WAIT", "true"}});
}

using AdminBrokerProcessorTest = BrokerFixture;

TEST_F(AdminBrokerProcessorTest, CreateTopicPersistsRegistersAndSurvivesRestart) {
  auto fields = CreateTopicFields("AdminTopic", 3, 5);
  fields["perm"] = "4";
  fields["order"] = "true";
  fields["topicSysFlag"] = "2";
  fields["topicFilterType"] = "MULTI_TAG";
  RemotingCommand r = Call(RequestCode::UPDATE_AND_CREATE_TOPIC, fields);
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
  EXPECT_EQ(r.version, protocol::kCurrentVersion);
  // Registered before the answer: the route is there at once.
  EXPECT_EQ(RouteAddrs("AdminTopic")["0"], BrokerAddr());

  auto check = [&] {
    RemotingCommand all = Call(RequestCode::GET_ALL_TOPIC_CONFIG, {});
    ASSERT_EQ(all.code, ResponseCode::SUCCESS);
    json j = json::parse(all.body);
    ASSERT_TRUE(j.contains("dataVersion"));
    EXPECT_TRUE(j["dataVersion"]["counter"].is_number());
    EXPECT_TRUE(j["dataVersion"]["timestamp"].is_number());
    const json& t = j["topicConfigTable"]["AdminTopic"];
    EXPECT_EQ(t["topicName"], "AdminTopic");
    EXPECT_EQ(t["readQueueNums"], 3);
    EXPECT_EQ(t["writeQueueNums"], 5);
    EXPECT_EQ(t["perm"], 4);
    EXPECT_EQ(t["order"], true);
    EXPECT_EQ(t["topicSysFlag"], 2);
    EXPECT_EQ(t["topicFilterType"], "MULTI_TAG");
    EXPECT_TRUE(j["topicConfigTable"].contains("TBW102"));
  };
  check();
  RestartBroker();
  check();

  // Updating replaces the config.
  r = Call(RequestCode::UPDATE_AND_CREATE_TOPIC, CreateTopicFields("AdminTopic", 8, 8));
  ASSERT_EQ(r.code, ResponseCode::SUCCESS);
  json j = json::parse(Call(RequestCode::GET_ALL_TOPIC_CONFIG, {}).body);
  EXPECT_EQ(j["topicConfigTable"]["AdminTopic"]["readQueueNums"], 8);
  EXPECT_EQ(j["topicConfigTable"]["AdminTopic"]["perm"], 6);
}

TEST_F(AdminBrokerProcessorTest, CreateTopicRejectsBadInputWithAClearRemark) {
  struct Case {
    std::map<std::string, std::string> fields;
    std::string remark_part;
  };
  auto without = [](const std::string& key) {
    auto f = CreateTopicFields("Fine");
    f.erase(key);
    return f;
  };
  auto with = [](const std::string& key, const std::string& value) {
    auto f = CreateTopicFields("Fine");
    f[key] = value;
    return f;
  };
  const Case cases[] = {
      {CreateTopicFields("bad topic!"), "bad topic!"},
      {CreateTopicFields(std::string(128, 'x')), "127"},
      {CreateTopicFields("TBW102"), "conflict with system topic"},
      {CreateTopicFields("SCHEDULE_TOPIC_XXXX"), "conflict with system topic"},
      {CreateTopicFields("DefaultCluster"), "conflict with system topic"},
      {without("topic"), "topic"},
      {without("readQueueNums"), "readQueueNums"},
      {without("perm"), "perm"},
      {with("writeQueueNums", "many"), "writeQueueNums"},
      {with("readQueueNums", "0"), "readQueueNums"},
      {with("topicFilterType", "ANY_TAG"), "topicFilterType"},
  };
  for (const Case& c : cases) {
    RemotingCommand r = Call(RequestCode::UPDATE_AND_CREATE_TOPIC, c.fields);
    EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR) << c.remark_part;
    EXPECT_NE(r.remark.value_or("").find(c.remark_part), std::string::npos)
        << r.remark.value_or("(none)");
  }
  json j = json::parse(Call(RequestCode::GET_ALL_TOPIC_CONFIG, {}).body);
  EXPECT_FALSE(j["topicConfigTable"].contains("Fine"));
  EXPECT_FALSE(j["topicConfigTable"].contains("bad topic!"));
  EXPECT_EQ(j["topicConfigTable"]["TBW102"]["perm"], 7);  // untouched
}

TEST_F(AdminBrokerProcessorTest, DeleteTopicRemovesConfigOffsetsAndQueues) {
  ASSERT_EQ(Call(RequestCode::UPDATE_AND_CREATE_TOPIC, CreateTopicFields("Doomed", 2, 2)).code,
            ResponseCode::SUCCESS);
  ASSERT_EQ(Call(RequestCode::UPDATE_AND_CREATE_TOPIC, CreateTopicFields("Kept", 1, 1)).code,
            ResponseCode::SUCCESS);
  for (int i = 0; i < 3; ++i) {
    ASSERT_GE(Send("Doomed", i % 2, "m" + std::to_string(i), Properties("k")), 0);
  }
  ASSERT_GE(Send("Kept", 0, "kept", Properties("k")), 0);
  ASSERT_TRUE(broker_->message_store().WaitForDispatch(std::chrono::seconds(5)));
  broker_->consumer_offset_manager().CommitOffset("G", "Doomed", 0, 1);
  broker_->consumer_offset_manager().CommitOffset("G", "Kept", 0, 1);
  const std::string cq_dir = config_.store.store_path_root_dir + "/consumequeue/Doomed";
  ASSERT_TRUE(store::FileSystem::Default()->Exists(cq_dir));

  RemotingCommand r = Call(RequestCode::DELETE_TOPIC_IN_BROKER, {{"topic", "Doomed"}});
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
  EXPECT_FALSE(store::FileSystem::Default()->Exists(cq_dir));
  EXPECT_EQ(broker_->message_store().GetMaxOffsetInQueue("Doomed", 0), 0);
  EXPECT_EQ(broker_->consumer_offset_manager().QueryOffset("G", "Doomed", 0), -1);
  EXPECT_EQ(broker_->consumer_offset_manager().QueryOffset("G", "Kept", 0), 1);

  // Unknown topics delete fine (mqadmin deletes on every broker); system topics do not.
  EXPECT_EQ(Call(RequestCode::DELETE_TOPIC_IN_BROKER, {{"topic", "NeverWas"}}).code,
            ResponseCode::SUCCESS);
  r = Call(RequestCode::DELETE_TOPIC_IN_BROKER, {{"topic", "TBW102"}});
  EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR);
  EXPECT_NE(r.remark.value_or("").find("system topic"), std::string::npos);
  r = Call(RequestCode::DELETE_TOPIC_IN_BROKER, {{"topic", "bad topic!"}});
  EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR);
  EXPECT_NE(r.remark.value_or("").find("bad topic!"), std::string::npos);
  r = Call(RequestCode::DELETE_TOPIC_IN_BROKER, {});
  EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR);
  EXPECT_NE(r.remark.value_or("").find("topic"), std::string::npos);

  RestartBroker();
  json j = json::parse(Call(RequestCode::GET_ALL_TOPIC_CONFIG, {}).body);
  EXPECT_FALSE(j["topicConfigTable"].contains("Doomed"));
  EXPECT_TRUE(j["topicConfigTable"].contains("Kept"));
  EXPECT_TRUE(j["topicConfigTable"].contains("TBW102"));
  EXPECT_EQ(broker_->consumer_offset_manager().QueryOffset("G", "Doomed", 0), -1);
  EXPECT_EQ(broker_->consumer_offset_manager().QueryOffset("G", "Kept", 0), 1);
  EXPECT_EQ(broker_->message_store().GetMaxOffsetInQueue("Doomed", 1), 0);
  EXPECT_EQ(broker_->message_store().GetMaxOffsetInQueue("Kept", 0), 1);
}

TEST_F(AdminBrokerProcessorTest, SubscriptionGroupsCreateListDeleteAndPersist) {
  json group = {{"groupName", "GID_admin"},
                {"consumeEnable", false},
                {"consumeBroadcastEnable", true},
                {"retryQueueNums", 2},
                {"retryMaxTimes", 5},
                {"brokerId", 0},
                {"whichBrokerWhenConsumeSlowly", 1},
                {"consumeMessageOrderly", true}};
  RemotingCommand r = Call(RequestCode::UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, group.dump());
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");

  auto table = [&] {
    RemotingCommand all = Call(RequestCode::GET_ALL_SUBSCRIPTIONGROUP_CONFIG, {});
    EXPECT_EQ(all.code, ResponseCode::SUCCESS);
    json j = json::parse(all.body);
    EXPECT_TRUE(j["dataVersion"].is_object());
    return j["subscriptionGroupTable"];
  };
  auto check = [&] {
    json t = table();
    ASSERT_TRUE(t.contains("GID_admin"));
    const json& g = t["GID_admin"];
    EXPECT_EQ(g["groupName"], "GID_admin");
    EXPECT_EQ(g["consumeEnable"], false);
    EXPECT_EQ(g["retryQueueNums"], 2);
    EXPECT_EQ(g["retryMaxTimes"], 5);
    EXPECT_EQ(g["consumeMessageOrderly"], true);
    EXPECT_EQ(g["consumeFromMinEnable"], true);  // default for a field left out
    EXPECT_TRUE(t.contains("TOOLS_CONSUMER"));
  };
  check();
  RestartBroker();
  check();

  broker_->consumer_offset_manager().CommitOffset("GID_admin", "T", 0, 9);
  broker_->consumer_offset_manager().CommitOffset("GID_other", "T", 0, 4);
  r = Call(RequestCode::DELETE_SUBSCRIPTIONGROUP,
           {{"groupName", "GID_admin"}, {"removeOffset", "true"}});
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
  EXPECT_FALSE(table().contains("GID_admin"));
  EXPECT_EQ(broker_->consumer_offset_manager().QueryOffset("GID_admin", "T", 0), -1);
  EXPECT_EQ(broker_->consumer_offset_manager().QueryOffset("GID_other", "T", 0), 4);
  RestartBroker();
  EXPECT_FALSE(table().contains("GID_admin"));
  EXPECT_EQ(broker_->consumer_offset_manager().QueryOffset("GID_admin", "T", 0), -1);
}

TEST_F(AdminBrokerProcessorTest, SubscriptionGroupBadInputGetsAClearRemark) {
  const std::pair<std::string, std::string> cases[] = {
      {"not json", "SubscriptionGroupConfig"},
      {R"({"consumeEnable":true})", "groupName"},
      {R"({"groupName":"bad group!"})", "bad group!"},
      {R"({"groupName":"G","retryMaxTimes":"many"})", "SubscriptionGroupConfig G"},
  };
  for (const auto& [body, remark_part] : cases) {
    RemotingCommand r = Call(RequestCode::UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, body);
    EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR) << body;
    EXPECT_NE(r.remark.value_or("").find(remark_part), std::string::npos)
        << r.remark.value_or("(none)");
  }
  RemotingCommand r = Call(RequestCode::DELETE_SUBSCRIPTIONGROUP, {});
  EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR);
  EXPECT_NE(r.remark.value_or("").find("groupName"), std::string::npos);
}

TEST_F(AdminBrokerProcessorTest, TopicStatsAndConsumeStatsUseFastjsonMessageQueueKeys) {
  ASSERT_EQ(Call(RequestCode::UPDATE_AND_CREATE_TOPIC, CreateTopicFields("Stats", 2, 2)).code,
            ResponseCode::SUCCESS);
  for (int i = 0; i < 3; ++i) ASSERT_GE(Send("Stats", 0, "m", Properties("k")), 0);
  ASSERT_TRUE(broker_->message_store().WaitForDispatch(std::chrono::seconds(5)));
  const int64_t last_stored =
      broker_->message_store()
          .LookMessageByOffset(broker_->message_store().GetCommitLogOffsetInQueue("Stats", 0, 2))
          ->store_timestamp;
  const int64_t second_stored =
      broker_->message_store()
          .LookMessageByOffset(broker_->message_store().GetCommitLogOffsetInQueue("Stats", 0, 1))
          ->store_timestamp;

  RemotingCommand r = Call(RequestCode::GET_TOPIC_STATS_INFO, {{"topic", "Stats"}});
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
  auto stats = ParseOffsetTable(r.body, "broker-a");
  ASSERT_EQ(stats.size(), 2u) << r.body;
  EXPECT_EQ(stats["Stats/0"]["minOffset"], 0);
  EXPECT_EQ(stats["Stats/0"]["maxOffset"], 3);
  EXPECT_EQ(stats["Stats/0"]["lastUpdateTimestamp"], last_stored);
  EXPECT_EQ(stats["Stats/1"]["maxOffset"], 0);
  EXPECT_EQ(stats["Stats/1"]["lastUpdateTimestamp"], 0);

  r = Call(RequestCode::GET_TOPIC_STATS_INFO, {{"topic", "Unknown"}});
  EXPECT_EQ(r.code, ResponseCode::TOPIC_NOT_EXIST);
  EXPECT_EQ(r.remark.value_or(""), "topic[Unknown] not exist");
  EXPECT_EQ(Call(RequestCode::GET_TOPIC_STATS_INFO, {}).code, ResponseCode::SYSTEM_ERROR);

  broker_->consumer_offset_manager().CommitOffset("GID_stats", "Stats", 0, 2);
  for (const std::map<std::string, std::string>& fields :
       {std::map<std::string, std::string>{{"consumerGroup", "GID_stats"}},
        std::map<std::string, std::string>{{"consumerGroup", "GID_stats"}, {"topic", "Stats"}}}) {
    r = Call(RequestCode::GET_CONSUME_STATS, fields);
    ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
    auto consume = ParseOffsetTable(r.body, "broker-a");
    ASSERT_EQ(consume.size(), 2u) << r.body;
    EXPECT_EQ(consume["Stats/0"]["brokerOffset"], 3);
    EXPECT_EQ(consume["Stats/0"]["consumerOffset"], 2);
    EXPECT_EQ(consume["Stats/0"]["lastTimestamp"], second_stored);
    EXPECT_EQ(consume["Stats/1"]["brokerOffset"], 0);
    EXPECT_EQ(consume["Stats/1"]["consumerOffset"], 0);
    EXPECT_EQ(consume["Stats/1"]["lastTimestamp"], 0);
  }
  r = Call(RequestCode::GET_CONSUME_STATS, {{"consumerGroup", "GID_nobody"}});
  ASSERT_EQ(r.code, ResponseCode::SUCCESS);
  EXPECT_EQ(r.body, R"({"offsetTable":{}})");
  r = Call(RequestCode::GET_CONSUME_STATS, {{"topic", "Stats"}});
  EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR);
  EXPECT_NE(r.remark.value_or("").find("consumerGroup"), std::string::npos);
}

TEST_F(AdminBrokerProcessorTest, RuntimeInfoReportsWhatTheBrokerMeasures) {
  ASSERT_GE(Send("RuntimeTopic", 0, "m", Properties("k")), 0);
  ASSERT_TRUE(broker_->message_store().WaitForDispatch(std::chrono::seconds(5)));
  RemotingCommand r = Call(RequestCode::GET_BROKER_RUNTIME_INFO, {});
  ASSERT_EQ(r.code, ResponseCode::SUCCESS);
  json table = json::parse(r.body)["table"];
  EXPECT_EQ(table["brokerVersion"], std::to_string(protocol::kCurrentVersion));
  EXPECT_EQ(table["brokerVersionDesc"], protocol::kCurrentVersionDesc);
  EXPECT_EQ(table["commitLogMinOffset"], "0");
  EXPECT_EQ(table["commitLogMaxOffset"],
            std::to_string(broker_->message_store().GetMaxPhyOffset()));
  EXPECT_NE(table["commitLogMaxOffset"], "0");
  EXPECT_EQ(table["dispatchBehindBytes"], "0");
  EXPECT_TRUE(std::regex_match(table["runtime"].get<std::string>(),
                               std::regex(R"(\[ 0 days, 0 hours, \d+ minutes, \d+ seconds \])")))
      << table["runtime"];
  EXPECT_TRUE(
      std::regex_match(table["commitLogDirCapacity"].get<std::string>(),
                       std::regex(R"(Total : [\d.]+ [KMGTPE]?i?B, Free : [\d.]+ [KMGTPE]?i?B\.)")))
      << table["commitLogDirCapacity"];
  EXPECT_TRUE(std::regex_match(table["remainHowManyDataToFlush"].get<std::string>(),
                               std::regex(R"(\d+ B|[\d.]+ [KMGTPE]iB)")))
      << table["remainHowManyDataToFlush"];
  const double ratio = std::stod(table["commitLogDiskRatio"].get<std::string>());
  EXPECT_GT(ratio, 0.0);
  EXPECT_LE(ratio, 1.0);
  EXPECT_GT(std::stoll(table["earliestMessageTimeStamp"].get<std::string>()), 0);
  EXPECT_GT(std::stoll(table["bootTimestamp"].get<std::string>()), 0);
  for (const auto& [key, value] : table.items()) EXPECT_TRUE(value.is_string()) << key;
  // Nothing we cannot measure is made up.
  EXPECT_FALSE(table.contains("putTps"));
  EXPECT_FALSE(table.contains("msgPutTotalTodayNow"));
}

TEST_F(AdminBrokerProcessorTest, BrokerConfigIsPropertiesText) {
  RemotingCommand r = Call(RequestCode::GET_BROKER_CONFIG, {});
  ASSERT_EQ(r.code, ResponseCode::SUCCESS);
  EXPECT_NE(r.body.find("brokerName=broker-a\n"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("brokerClusterName=DefaultCluster\n"), std::string::npos);
  ASSERT_NE(r.FindExtField("version"), nullptr);
  json version = json::parse(*r.FindExtField("version"));
  EXPECT_EQ(version["counter"], 0);
  // The test broker listens on port 0 (kernel-picked), which a broker.conf may not say.
  std::string text = r.body;
  const size_t port_at = text.find("listenPort=0\n");
  ASSERT_NE(port_at, std::string::npos);
  text.replace(port_at, std::string("listenPort=0").size(), "listenPort=10911");
  auto parsed = ParseBrokerConfig(text, "GET_BROKER_CONFIG body");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->broker_name, "broker-a");
}

TEST_F(AdminBrokerProcessorTest, AllDelayOffsetIsDelayOffsetJson) {
  // The schedule service wrote the file at start-up: every level at 0.
  RemotingCommand r = Call(RequestCode::GET_ALL_DELAY_OFFSET, {});
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
  EXPECT_NE(r.body.find("\"offsetTable\":{1:0,2:0,"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(",18:0}"), std::string::npos) << r.body;
  // After a delayed message was delivered and the service persisted (at shutdown here).
  ASSERT_GE(Send("TopicA", 0, "later", EncodeProperties({{"DELAY", "1"}})), 0);
  auto* service = broker_->schedule_message_service();
  ASSERT_NE(service, nullptr);
  ASSERT_TRUE(holdfast::testing::WaitUntil([&] { return service->delivered() == 1; },
                                           std::chrono::seconds(10)));
  ASSERT_TRUE(service->Persist().ok());
  r = Call(RequestCode::GET_ALL_DELAY_OFFSET, {});
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
  EXPECT_NE(r.body.find("{1:1,2:0,"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace holdfast::broker
