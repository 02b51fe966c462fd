// NamesrvController over real TCP on 127.0.0.1 (port 0): a RemotingClient plays the broker and
// another one the RocketMQ client. Time is a fake clock; every wait has a deadline and polls a
// condition, nothing sleeps to synchronise.
#include "namesrv/namesrv_controller.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "common/crc32.h"
#include "remoting/frame_codec.h"
#include "remoting/protocol/mq_version.h"
#include "remoting/remoting_client.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"
#include "tests/support/raw_peer.h"
#include "tests/support/wait_until.h"

namespace holdfast::namesrv {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using remoting::RemotingClient;
using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;

constexpr auto kTimeout = 5s;

using holdfast::testing::WaitUntil;

struct FakeBroker {
  std::string cluster = "DefaultCluster";
  std::string name = "broker-a";
  int64_t id = 0;
  std::string addr = "10.0.0.1:10911";
  std::string ha_addr = "10.0.0.1:10912";
  std::map<std::string, int> topics;  // topic -> queue count
};

RemotingCommand RegisterRequest(const FakeBroker& b) {
  RemotingCommand req = RemotingCommand::CreateRequest(RequestCode::REGISTER_BROKER);
  req.version = 479;
  req.SetExtField("brokerName", b.name);
  req.SetExtField("brokerAddr", b.addr);
  req.SetExtField("clusterName", b.cluster);
  req.SetExtField("haServerAddr", b.ha_addr);
  req.SetExtField("brokerId", std::to_string(b.id));
  req.SetExtField("compressed", "false");
  json table = json::object();
  for (const auto& [topic, queues] : b.topics) {
    table[topic] = {{"topicName", topic},
                    {"readQueueNums", queues},
                    {"writeQueueNums", queues},
                    {"perm", 6},
                    {"topicSysFlag", 0},
                    {"order", false},
                    {"topicFilterType", "SINGLE_TAG"}};
  }
  json body = {{"filterServerList", json::array()},
               {"topicConfigSerializeWrapper",
                {{"dataVersion", {{"counter", 1}, {"stateVersion", 0}, {"timestamp", 1}}},
                 {"topicConfigTable", table}}}};
  req.body = body.dump();
  req.SetExtField("bodyCrc32", std::to_string(BodyCrc(req.body)));
  return req;
}

class NamesrvControllerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    namesrv_ = StartNamesrv();
    addr_ = Addr(*namesrv_);
    broker_.Start();
    client_.Start();
  }
  void TearDown() override {
    broker_.Shutdown();
    client_.Shutdown();
  }

  std::unique_ptr<NamesrvController> StartNamesrv() {
    NamesrvConfig config;
    config.bind_address = "127.0.0.1";
    config.listen_port = 0;
    config.scan_not_active_broker_interval =
        5;  // the housekeeping thread scans often; time is fake
    auto c = std::make_unique<NamesrvController>(config, [this] { return now_.load(); });
    EXPECT_TRUE(c->Start().ok());
    return c;
  }
  static std::string Addr(const NamesrvController& c) {
    return "127.0.0.1:" + std::to_string(c.port());
  }

  RemotingCommand Call(RemotingClient& who, const std::string& addr, RemotingCommand req) {
    auto resp = who.InvokeSync(addr, std::move(req), kTimeout);
    EXPECT_TRUE(resp.ok()) << resp.status().ToString();
    return resp.ok() ? *resp : RemotingCommand{};
  }
  RemotingCommand Register(const FakeBroker& b) { return Call(broker_, addr_, RegisterRequest(b)); }
  RemotingCommand GetRoute(const std::string& topic, const std::string& addr = "") {
    RemotingCommand req = RemotingCommand::CreateRequest(RequestCode::GET_ROUTEINFO_BY_TOPIC);
    req.version = 479;
    req.SetExtField("topic", topic);
    return Call(client_, addr.empty() ? addr_ : addr, req);
  }
  RemotingCommand Simple(int32_t code, std::map<std::string, std::string> fields = {}) {
    RemotingCommand req = RemotingCommand::CreateRequest(code);
    req.version = 479;
    for (auto& [k, v] : fields) req.SetExtField(k, v);
    return Call(client_, addr_, req);
  }

  std::atomic<int64_t> now_{1'700'000'000'000};
  std::unique_ptr<NamesrvController> namesrv_;
  std::string addr_;
  RemotingClient broker_;
  RemotingClient client_;
};

TEST_F(NamesrvControllerTest, MasterWithTwoTopicsGivesTheExactRouteShape) {
  FakeBroker master{.topics = {{"TopicA", 4}, {"TopicB", 8}}};
  RemotingCommand reg = Register(master);
  ASSERT_EQ(reg.code, ResponseCode::SUCCESS);
  EXPECT_EQ(reg.FindExtField("masterAddr"), nullptr);  // a master has no master

  for (const auto& [topic, queues] : master.topics) {
    RemotingCommand resp = GetRoute(topic);
    ASSERT_EQ(resp.code, ResponseCode::SUCCESS) << resp.ToString();
    EXPECT_EQ(resp.version, protocol::kCurrentVersion);
    json route = json::parse(resp.body);
    ASSERT_TRUE(route.is_object());
    EXPECT_EQ(route.size(), 3u) << resp.body;  // no orderTopicConf unless set
    EXPECT_EQ(route["filterServerTable"], json::object());
    ASSERT_EQ(route["queueDatas"].size(), 1u);
    const json& q = route["queueDatas"][0];
    EXPECT_EQ(q.size(), 5u);
    EXPECT_EQ(q["brokerName"], "broker-a");
    EXPECT_EQ(q["readQueueNums"], queues);
    EXPECT_EQ(q["writeQueueNums"], queues);
    EXPECT_EQ(q["perm"], 6);
    EXPECT_EQ(q["topicSysFlag"], 0);
    ASSERT_EQ(route["brokerDatas"].size(), 1u);
    const json& b = route["brokerDatas"][0];
    EXPECT_EQ(b["cluster"], "DefaultCluster");
    EXPECT_EQ(b["brokerName"], "broker-a");
    EXPECT_EQ(b["brokerAddrs"], json({{"0", "10.0.0.1:10911"}}));
    EXPECT_EQ(b["enableActingMaster"], false);
  }
  EXPECT_EQ(GetRoute("TopicA").body,
            R"({"brokerDatas":[{"brokerAddrs":{"0":"10.0.0.1:10911"},"brokerName":"broker-a",)"
            R"("cluster":"DefaultCluster","enableActingMaster":false}],"filterServerTable":{},)"
            R"("queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,)"
            R"("topicSysFlag":0,"writeQueueNums":4}]})");
}

TEST_F(NamesrvControllerTest, UnknownTopicIsTopicNotExistNamingTheTopic) {
  RemotingCommand resp = GetRoute("NoSuchTopic");
  EXPECT_EQ(resp.code, ResponseCode::TOPIC_NOT_EXIST);
  EXPECT_EQ(resp.code, 17);
  ASSERT_TRUE(resp.remark.has_value());
  EXPECT_NE(resp.remark->find("NoSuchTopic"), std::string::npos);
  EXPECT_TRUE(resp.body.empty());
}

TEST_F(NamesrvControllerTest, SlaveAddsItsAddressButNoQueueData) {
  ASSERT_EQ(Register(FakeBroker{.topics = {{"TopicA", 4}}}).code, ResponseCode::SUCCESS);
  FakeBroker slave{.id = 1,
                   .addr = "10.0.0.2:10911",
                   .ha_addr = "10.0.0.2:10912",
                   .topics = {{"TopicA", 16}, {"SlaveOnly", 2}}};
  RemotingCommand reg = Register(slave);
  ASSERT_EQ(reg.code, ResponseCode::SUCCESS);
  ASSERT_NE(reg.FindExtField("masterAddr"), nullptr);
  EXPECT_EQ(*reg.FindExtField("masterAddr"), "10.0.0.1:10911");
  EXPECT_EQ(*reg.FindExtField("haServerAddr"), "10.0.0.1:10912");

  json route = json::parse(GetRoute("TopicA").body);
  ASSERT_EQ(route["queueDatas"].size(), 1u);
  EXPECT_EQ(route["queueDatas"][0]["writeQueueNums"], 4);  // the master's, not the slave's
  EXPECT_EQ(route["brokerDatas"][0]["brokerAddrs"],
            json({{"0", "10.0.0.1:10911"}, {"1", "10.0.0.2:10911"}}));
  EXPECT_EQ(GetRoute("SlaveOnly").code, ResponseCode::TOPIC_NOT_EXIST);
}

TEST_F(NamesrvControllerTest, HousekeepingExpiresABrokerWhenTheClockPassesItsTimeout) {
  ASSERT_EQ(Register(FakeBroker{.topics = {{"TopicA", 4}}}).code, ResponseCode::SUCCESS);
  auto broker_connection = broker_.GetOrCreateConnection(addr_);
  ASSERT_TRUE(broker_connection.ok());
  now_ += 120'000;  // exactly the timeout: still alive
  EXPECT_EQ(namesrv_->route_info_manager().ScanNotActiveBroker(), 0u);
  EXPECT_EQ(GetRoute("TopicA").code, ResponseCode::SUCCESS);
  now_ += 1;
  ASSERT_TRUE(WaitUntil([&] { return namesrv_->route_info_manager().live_broker_count() == 0; }));
  EXPECT_EQ(GetRoute("TopicA").code, ResponseCode::TOPIC_NOT_EXIST);
  // The name server closed the expired broker's connection; its next registration reconnects.
  ASSERT_TRUE(WaitUntil([&] { return !(*broker_connection)->IsOpen(); }));
  ASSERT_EQ(Register(FakeBroker{.topics = {{"TopicA", 4}}}).code, ResponseCode::SUCCESS);
  EXPECT_EQ(GetRoute("TopicA").code, ResponseCode::SUCCESS);
}

TEST_F(NamesrvControllerTest, ClosingTheBrokersConnectionRemovesItAtOnce) {
  ASSERT_EQ(Register(FakeBroker{.topics = {{"TopicA", 4}}}).code, ResponseCode::SUCCESS);
  ASSERT_EQ(GetRoute("TopicA").code, ResponseCode::SUCCESS);
  broker_.CloseConnection(addr_);
  ASSERT_TRUE(WaitUntil([&] { return namesrv_->route_info_manager().live_broker_count() == 0; }));
  EXPECT_EQ(GetRoute("TopicA").code, ResponseCode::TOPIC_NOT_EXIST);
}

TEST_F(NamesrvControllerTest, ClientConnectionClosingLeavesBrokersAlone) {
  ASSERT_EQ(Register(FakeBroker{.topics = {{"TopicA", 4}}}).code, ResponseCode::SUCCESS);
  ASSERT_EQ(GetRoute("TopicA").code, ResponseCode::SUCCESS);
  ASSERT_EQ(namesrv_->connection_count(), 2u);
  client_.CloseConnection(addr_);
  // The server forgets the connection and then runs the close listener in the same io handler;
  // with one io thread the next request is read only after that handler has finished.
  ASSERT_TRUE(WaitUntil([&] { return namesrv_->connection_count() == 1; }));
  EXPECT_EQ(GetRoute("TopicA").code, ResponseCode::SUCCESS);
  EXPECT_EQ(namesrv_->route_info_manager().live_broker_count(), 1u);
}

TEST_F(NamesrvControllerTest, UnregisterRemovesTheBroker) {
  FakeBroker master{.topics = {{"TopicA", 4}}};
  ASSERT_EQ(Register(master).code, ResponseCode::SUCCESS);
  RemotingCommand req = RemotingCommand::CreateRequest(RequestCode::UNREGISTER_BROKER);
  req.SetExtField("brokerName", master.name);
  req.SetExtField("brokerAddr", master.addr);
  req.SetExtField("clusterName", master.cluster);
  req.SetExtField("brokerId", "0");
  EXPECT_EQ(Call(broker_, addr_, req).code, ResponseCode::SUCCESS);
  EXPECT_EQ(GetRoute("TopicA").code, ResponseCode::TOPIC_NOT_EXIST);
  EXPECT_EQ(namesrv_->route_info_manager().live_broker_count(), 0u);
}

TEST_F(NamesrvControllerTest, ClusterInfoTopicListsAndDeleteTopic) {
  ASSERT_EQ(Register(FakeBroker{.topics = {{"TopicA", 4}, {"Shared", 4}}}).code,
            ResponseCode::SUCCESS);
  ASSERT_EQ(Register(FakeBroker{.cluster = "Other",
                                .name = "broker-b",
                                .addr = "10.0.0.3:10911",
                                .ha_addr = "10.0.0.3:10912",
                                .topics = {{"TopicB", 2}, {"Shared", 2}}})
                .code,
            ResponseCode::SUCCESS);

  RemotingCommand info = Simple(RequestCode::GET_BROKER_CLUSTER_INFO);
  ASSERT_EQ(info.code, ResponseCode::SUCCESS);
  json cluster = json::parse(info.body);
  EXPECT_EQ(cluster["clusterAddrTable"],
            json({{"DefaultCluster", {"broker-a"}}, {"Other", {"broker-b"}}}));
  EXPECT_EQ(cluster["brokerAddrTable"]["broker-b"],
            json({{"brokerAddrs", {{"0", "10.0.0.3:10911"}}},
                  {"brokerName", "broker-b"},
                  {"cluster", "Other"},
                  {"enableActingMaster", false}}));
  EXPECT_EQ(cluster["brokerAddrTable"].size(), 2u);

  RemotingCommand all = Simple(RequestCode::GET_ALL_TOPIC_LIST_FROM_NAMESERVER);
  EXPECT_EQ(json::parse(all.body), json({{"topicList", {"Shared", "TopicA", "TopicB"}}}));
  RemotingCommand other = Simple(RequestCode::GET_TOPICS_BY_CLUSTER, {{"cluster", "Other"}});
  EXPECT_EQ(json::parse(other.body), json({{"topicList", {"Shared", "TopicB"}}}));

  EXPECT_EQ(Simple(RequestCode::DELETE_TOPIC_IN_NAMESRV, {{"topic", "TopicA"}}).code,
            ResponseCode::SUCCESS);
  EXPECT_EQ(GetRoute("TopicA").code, ResponseCode::TOPIC_NOT_EXIST);
  EXPECT_EQ(
      Simple(RequestCode::DELETE_TOPIC_IN_NAMESRV, {{"topic", "Shared"}, {"clusterName", "Other"}})
          .code,
      ResponseCode::SUCCESS);
  json shared = json::parse(GetRoute("Shared").body);
  ASSERT_EQ(shared["queueDatas"].size(), 1u);
  EXPECT_EQ(shared["queueDatas"][0]["brokerName"], "broker-a");
}

TEST_F(NamesrvControllerTest, KvConfigPutGetDelete) {
  std::map<std::string, std::string> k = {{"namespace", "ORDER_TOPIC_CONFIG"}, {"key", "TopicA"}};
  auto with_value = k;
  with_value["value"] = "broker-a:4";
  EXPECT_EQ(Simple(RequestCode::PUT_KV_CONFIG, with_value).code, ResponseCode::SUCCESS);
  RemotingCommand got = Simple(RequestCode::GET_KV_CONFIG, k);
  ASSERT_EQ(got.code, ResponseCode::SUCCESS);
  EXPECT_EQ(*got.FindExtField("value"), "broker-a:4");
  EXPECT_EQ(Simple(RequestCode::DELETE_KV_CONFIG, k).code, ResponseCode::SUCCESS);
  EXPECT_EQ(Simple(RequestCode::GET_KV_CONFIG, k).code, ResponseCode::QUERY_NOT_FOUND);
}

using holdfast::testing::RawPeer;

// The JSON header of a raw frame: bytes 8 .. 8 + hLen, when the type byte says JSON.
json HeaderOf(const std::string& frame) {
  if (frame.size() < 8 || frame[4] != 0) return json();
  size_t hlen = (static_cast<size_t>(static_cast<uint8_t>(frame[5])) << 16) |
                (static_cast<size_t>(static_cast<uint8_t>(frame[6])) << 8) |
                static_cast<size_t>(static_cast<uint8_t>(frame[7]));
  return json::parse(frame.substr(8, hlen), nullptr, false);
}

TEST_F(NamesrvControllerTest, ResponseHeaderExtFieldsAreJsonStringsOnTheWire) {
  ASSERT_EQ(Register(FakeBroker{.topics = {{"TopicA", 4}}}).code, ResponseCode::SUCCESS);
  ASSERT_EQ(
      Simple(RequestCode::PUT_KV_CONFIG, {{"namespace", "N"}, {"key", "k"}, {"value", "1"}}).code,
      ResponseCode::SUCCESS);
  RawPeer peer(namesrv_->port());
  ASSERT_TRUE(peer.connected());

  RemotingCommand slave = RegisterRequest(FakeBroker{
      .id = 1, .addr = "10.0.0.2:10911", .ha_addr = "10.0.0.2:10912", .topics = {{"TopicA", 4}}});
  RemotingCommand get_kv = RemotingCommand::CreateRequest(RequestCode::GET_KV_CONFIG);
  get_kv.SetExtField("namespace", "N");
  get_kv.SetExtField("key", "k");
  for (const RemotingCommand& req : {slave, get_kv}) {
    auto frame = remoting::EncodeFrame(req, remoting::SerializeType::kJson);
    ASSERT_TRUE(frame.ok());
    ASSERT_TRUE(peer.Write(*frame));
    json header = HeaderOf(peer.ReadFrame());
    ASSERT_TRUE(header.is_object()) << "no JSON response header";
    EXPECT_EQ(header["code"], 0);
    EXPECT_EQ(header["opaque"], req.opaque);
    EXPECT_EQ(header["version"], protocol::kCurrentVersion);
    ASSERT_TRUE(header.contains("extFields")) << header.dump();
    ASSERT_FALSE(header["extFields"].empty());
    for (const auto& [key, value] : header["extFields"].items()) {
      EXPECT_TRUE(value.is_string()) << key << " = " << value.dump();
    }
    if (req.code == RequestCode::GET_KV_CONFIG) {
      EXPECT_EQ(header["extFields"]["value"], "1");
    } else {
      EXPECT_EQ(header["extFields"]["masterAddr"], "10.0.0.1:10911");
      EXPECT_EQ(header["extFields"]["haServerAddr"], "10.0.0.1:10912");
    }
  }
}

TEST_F(NamesrvControllerTest, TwoIndependentNameServersBothServeABrokerRegisteredWithBoth) {
  std::unique_ptr<NamesrvController> second = StartNamesrv();
  const std::string second_addr = Addr(*second);
  FakeBroker master{.topics = {{"TopicA", 4}}};
  ASSERT_EQ(Register(master).code, ResponseCode::SUCCESS);
  ASSERT_EQ(Call(broker_, second_addr, RegisterRequest(master)).code, ResponseCode::SUCCESS);

  RemotingCommand first_route = GetRoute("TopicA");
  RemotingCommand second_route = GetRoute("TopicA", second_addr);
  ASSERT_EQ(first_route.code, ResponseCode::SUCCESS);
  ASSERT_EQ(second_route.code, ResponseCode::SUCCESS);
  EXPECT_EQ(first_route.body, second_route.body);

  // They are independent: shutting one down leaves the other serving.
  second->Shutdown();
  EXPECT_EQ(GetRoute("TopicA").code, ResponseCode::SUCCESS);
  EXPECT_EQ(namesrv_->route_info_manager().live_broker_count(), 1u);
}

}  // namespace
}  // namespace holdfast::namesrv
