// RouteInfoManager, the JSON bodies and DefaultRequestProcessor without sockets: a fake clock
// stands in for time, and requests are handed to the processor directly.
#include "namesrv/route_info_manager.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "common/crc32.h"
#include "namesrv/default_request_processor.h"
#include "namesrv/kv_config_manager.h"
#include "remoting/protocol/topic_route_data.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::namesrv {
namespace {

using nlohmann::json;
using protocol::DataVersion;
using protocol::TopicConfig;
using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;

class RouteInfoManagerTest : public ::testing::Test {
 protected:
  RegisterBrokerRequest Broker(const std::string& name, int64_t id, const std::string& addr,
                               std::vector<TopicConfig> topics = {}) {
    RegisterBrokerRequest r;
    r.cluster_name = "DefaultCluster";
    r.broker_name = name;
    r.broker_id = id;
    r.broker_addr = addr;
    r.ha_server_addr = addr + "1";
    r.topic_configs = std::move(topics);
    r.data_version = DataVersion{.counter = 1, .state_version = 0, .timestamp = 100};
    return r;
  }
  static TopicConfig Topic(const std::string& name, int32_t queues, int32_t perm = 6) {
    return TopicConfig(name, queues, queues, perm);
  }

  std::atomic<int64_t> now_{1'000'000};
  RouteInfoManager manager_{120'000, [this] { return now_.load(); }};
};

TEST_F(RouteInfoManagerTest, MasterRegistrationCreatesQueueDataAndSlaveOnlyItsAddress) {
  (void)manager_.RegisterBroker(Broker("broker-a", 0, "10.0.0.1:10911", {Topic("T", 4)}));
  RegisterBrokerResult slave =
      manager_.RegisterBroker(Broker("broker-a", 1, "10.0.0.2:10911", {Topic("OnlySlave", 2)}));
  EXPECT_EQ(slave.master_addr, "10.0.0.1:10911");
  EXPECT_EQ(slave.ha_server_addr, "10.0.0.1:109111");

  auto route = manager_.PickupTopicRouteData("T");
  ASSERT_TRUE(route.has_value());
  ASSERT_EQ(route->queue_datas.size(), 1u);
  ASSERT_EQ(route->broker_datas.size(), 1u);
  EXPECT_EQ(route->broker_datas[0].broker_addrs,
            (std::map<int64_t, std::string>{{0, "10.0.0.1:10911"}, {1, "10.0.0.2:10911"}}));
  EXPECT_FALSE(manager_.PickupTopicRouteData("OnlySlave").has_value());
}

TEST_F(RouteInfoManagerTest, SlaveWithoutMasterGetsNoMasterAddrAndNoRoute) {
  RegisterBrokerResult slave =
      manager_.RegisterBroker(Broker("broker-a", 1, "10.0.0.2:10911", {Topic("T", 2)}));
  EXPECT_TRUE(slave.master_addr.empty());
  EXPECT_TRUE(slave.ha_server_addr.empty());
  EXPECT_FALSE(manager_.PickupTopicRouteData("T").has_value());
}

TEST_F(RouteInfoManagerTest, QueueDataIsUpdatedOnlyWhenTheDataVersionChanges) {
  (void)manager_.RegisterBroker(Broker("broker-a", 0, "10.0.0.1:10911", {Topic("T", 4)}));
  RegisterBrokerRequest same = Broker("broker-a", 0, "10.0.0.1:10911", {Topic("T", 8)});
  (void)manager_.RegisterBroker(same);
  EXPECT_EQ(manager_.PickupTopicRouteData("T")->queue_datas[0].write_queue_nums, 4);
  same.data_version.counter = 2;
  (void)manager_.RegisterBroker(same);
  EXPECT_EQ(manager_.PickupTopicRouteData("T")->queue_datas[0].write_queue_nums, 8);
}

TEST_F(RouteInfoManagerTest, ExpiresOnlyAfterTheTimeoutPasses) {
  (void)manager_.RegisterBroker(Broker("broker-a", 0, "10.0.0.1:10911", {Topic("T", 4)}));
  now_ += 120'000;
  EXPECT_EQ(manager_.ScanNotActiveBroker(), 0u);
  now_ += 1;
  EXPECT_EQ(manager_.ScanNotActiveBroker(), 1u);
  EXPECT_EQ(manager_.live_broker_count(), 0u);
  EXPECT_FALSE(manager_.PickupTopicRouteData("T").has_value());
  EXPECT_TRUE(manager_.GetAllClusterInfo().cluster_addr_table.empty());
}

TEST_F(RouteInfoManagerTest, BrokerTimeoutFromTheRegistrationWins) {
  RegisterBrokerRequest r = Broker("broker-a", 0, "10.0.0.1:10911", {Topic("T", 4)});
  r.heartbeat_timeout_millis = 10'000;
  (void)manager_.RegisterBroker(r);
  now_ += 10'001;
  EXPECT_EQ(manager_.ScanNotActiveBroker(), 1u);
}

TEST_F(RouteInfoManagerTest, UnregisteringTheMasterKeepsQueueDataWhileASlaveRemains) {
  (void)manager_.RegisterBroker(Broker("broker-a", 0, "10.0.0.1:10911", {Topic("T", 4)}));
  (void)manager_.RegisterBroker(Broker("broker-a", 1, "10.0.0.2:10911"));
  manager_.UnregisterBroker("DefaultCluster", "10.0.0.1:10911", "broker-a", 0);
  auto route = manager_.PickupTopicRouteData("T");
  ASSERT_TRUE(route.has_value());
  EXPECT_EQ(route->broker_datas[0].broker_addrs,
            (std::map<int64_t, std::string>{{1, "10.0.0.2:10911"}}));
  manager_.UnregisterBroker("DefaultCluster", "10.0.0.2:10911", "broker-a", 1);
  EXPECT_FALSE(manager_.PickupTopicRouteData("T").has_value());
  EXPECT_TRUE(manager_.GetAllTopicList().empty());
}

TEST_F(RouteInfoManagerTest, SlavePromotedToMasterMovesItsAddressToIdZero) {
  (void)manager_.RegisterBroker(Broker("broker-a", 1, "10.0.0.2:10911"));
  (void)manager_.RegisterBroker(Broker("broker-a", 0, "10.0.0.2:10911", {Topic("T", 4)}));
  EXPECT_EQ(manager_.PickupTopicRouteData("T")->broker_datas[0].broker_addrs,
            (std::map<int64_t, std::string>{{0, "10.0.0.2:10911"}}));
}

TEST_F(RouteInfoManagerTest, DeleteTopicInOneClusterKeepsTheOther) {
  RegisterBrokerRequest b = Broker("broker-b", 0, "10.0.0.3:10911", {Topic("T", 4)});
  b.cluster_name = "Other";
  (void)manager_.RegisterBroker(Broker("broker-a", 0, "10.0.0.1:10911", {Topic("T", 4)}));
  (void)manager_.RegisterBroker(b);
  EXPECT_EQ(manager_.GetTopicsByCluster("Other"), std::set<std::string>{"T"});
  manager_.DeleteTopic("T", "Other");
  auto route = manager_.PickupTopicRouteData("T");
  ASSERT_TRUE(route.has_value());
  ASSERT_EQ(route->queue_datas.size(), 1u);
  EXPECT_EQ(route->queue_datas[0].broker_name, "broker-a");
  manager_.DeleteTopic("T", "");
  EXPECT_FALSE(manager_.PickupTopicRouteData("T").has_value());
}

class ProcessorTest : public ::testing::Test {
 protected:
  RemotingCommand Process(const RemotingCommand& request) {
    return processor_.ProcessRequest(request, remoting::ResponseWriter());
  }
  RemotingCommand Register(int64_t id, const std::string& addr, std::string body) {
    RemotingCommand req = RemotingCommand::CreateRequest(RequestCode::REGISTER_BROKER);
    req.version = 479;
    req.SetExtField("brokerName", "broker-a");
    req.SetExtField("brokerAddr", addr);
    req.SetExtField("clusterName", "DefaultCluster");
    req.SetExtField("haServerAddr", addr + "2");
    req.SetExtField("brokerId", std::to_string(id));
    req.SetExtField("bodyCrc32", std::to_string(BodyCrc(body)));
    req.body = std::move(body);
    return req;
  }
  RemotingCommand Route(const std::string& topic, int32_t version) {
    RemotingCommand req = RemotingCommand::CreateRequest(RequestCode::GET_ROUTEINFO_BY_TOPIC);
    req.version = version;
    req.SetExtField("topic", topic);
    return req;
  }
  static std::string Body(const std::string& topic) {
    return R"({"topicConfigSerializeWrapper":{"dataVersion":{"counter":1,"timestamp":1},)"
           R"("topicConfigTable":{")" +
           topic + R"(":{"perm":6,"readQueueNums":4,"writeQueueNums":4}}}})";
  }

  NamesrvConfig config_;
  RouteInfoManager manager_{120'000, [] { return int64_t{1}; }};
  KvConfigManager kv_;
  DefaultRequestProcessor processor_{config_, manager_, kv_};
};

TEST_F(ProcessorTest, CrcMismatchIsSystemErrorAndRegistersNothing) {
  RemotingCommand req = Register(0, "10.0.0.1:10911", Body("T"));
  req.SetExtField("bodyCrc32", "12345");
  RemotingCommand resp = Process(req);
  EXPECT_EQ(resp.code, ResponseCode::SYSTEM_ERROR);
  EXPECT_EQ(resp.remark, "crc32 not match");
  EXPECT_EQ(manager_.live_broker_count(), 0u);
}

TEST_F(ProcessorTest, MissingHeaderFieldIsSystemErrorNamingIt) {
  RemotingCommand req = Register(0, "10.0.0.1:10911", Body("T"));
  req.ext_fields.erase("clusterName");
  RemotingCommand resp = Process(req);
  EXPECT_EQ(resp.code, ResponseCode::SYSTEM_ERROR);
  EXPECT_NE(resp.remark->find("clusterName"), std::string::npos);
}

TEST_F(ProcessorTest, OldClientsGetFastjsonKeysOnlyWhenStandardJsonIsNotForced) {
  ASSERT_EQ(Process(Register(0, "10.0.0.1:10911", Body("T"))).code, ResponseCode::SUCCESS);
  EXPECT_NE(Process(Route("T", 317)).body.find(R"({"0":")"), std::string::npos);
  config_.always_standard_json = false;
  EXPECT_NE(Process(Route("T", 317)).body.find(R"({0:")"), std::string::npos);
  EXPECT_NE(Process(Route("T", 401)).body.find(R"({"0":")"), std::string::npos);
  RemotingCommand accept = Route("T", 317);
  accept.SetExtField("acceptStandardJsonOnly", "true");
  EXPECT_NE(Process(accept).body.find(R"({"0":")"), std::string::npos);
}

TEST_F(ProcessorTest, OrderTopicConfComesFromKvConfigWhenEnabled) {
  ASSERT_EQ(Process(Register(0, "10.0.0.1:10911", Body("T"))).code, ResponseCode::SUCCESS);
  kv_.PutKvConfig(kNamespaceOrderTopicConfig, "T", "broker-a:4");
  EXPECT_FALSE(json::parse(Process(Route("T", 479)).body).contains("orderTopicConf"));
  config_.order_message_enable = true;
  EXPECT_EQ(json::parse(Process(Route("T", 479)).body)["orderTopicConf"], "broker-a:4");
  // REGISTER_BROKER answers with the ORDER_TOPIC_CONFIG namespace as a KVTable.
  EXPECT_EQ(json::parse(Process(Register(0, "10.0.0.1:10911", Body("T"))).body),
            json::parse(R"({"table":{"T":"broker-a:4"}})"));
}

TEST_F(ProcessorTest, QueryDataVersionReportsWhetherItChanged) {
  ASSERT_EQ(Process(Register(0, "10.0.0.1:10911", Body("T"))).code, ResponseCode::SUCCESS);
  RemotingCommand q = RemotingCommand::CreateRequest(RequestCode::QUERY_DATA_VERSION);
  q.SetExtField("brokerAddr", "10.0.0.1:10911");
  q.body = R"({"counter":1,"stateVersion":0,"timestamp":1})";
  RemotingCommand resp = Process(q);
  EXPECT_EQ(*resp.FindExtField("changed"), "false");
  EXPECT_EQ(resp.body, R"({"counter":1,"stateVersion":0,"timestamp":1})");
  q.body = R"({"counter":2,"stateVersion":0,"timestamp":1})";
  EXPECT_EQ(*Process(q).FindExtField("changed"), "true");
}

}  // namespace
}  // namespace holdfast::namesrv
