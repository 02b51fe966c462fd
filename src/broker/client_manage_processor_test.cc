// ClientManageProcessor over real TCP on 127.0.0.1: a BrokerController (port 0, no name server)
// and RemotingClients playing consumers and producers. Broker -> client notifications are caught
// by a processor registered on the client; waits are WaitUntil or futures, nothing sleeps.
#include "broker/client_manage_processor.h"

#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "broker/broker_controller.h"
#include "remoting/protocol/lock_batch_body.h"
#include "remoting/protocol/mq_version.h"
#include "remoting/remoting_client.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"
#include "tests/support/heartbeat_request.h"
#include "tests/support/store_fixture.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_until.h"

namespace holdfast::broker {
namespace {

using namespace std::chrono_literals;
using protocol::DecodeLockBatchResponseBody;
using protocol::EncodeLockBatchRequestBody;
using protocol::LockBatchRequestBody;
using protocol::SubscriptionData;
using protocol::TopicConfig;
using remoting::RemotingClient;
using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;
using testing::HeartbeatConsumer;
using testing::HeartbeatRequest;
using testing::WaitUntil;

constexpr auto kTimeout = 5s;
constexpr char kGroup[] = "CmGroup";
constexpr char kTopic[] = "CmTopic";

// A client that records the NOTIFY_CONSUMER_IDS_CHANGED it receives.
struct Client {
  Client() {
    remoting.RegisterProcessor(RequestCode::NOTIFY_CONSUMER_IDS_CHANGED,
                               [this](const RemotingCommand& r, remoting::ResponseWriter w) {
                                 const std::string* g = r.FindExtField("consumerGroup");
                                 std::lock_guard lock(mu);
                                 notified.push_back(g ? *g : "<none>");
                                 oneway = w.oneway();
                               });
    remoting.Start();
  }
  size_t NotifyCount() {
    std::lock_guard lock(mu);
    return notified.size();
  }
  RemotingClient remoting;
  std::mutex mu;
  std::vector<std::string> notified;
  bool oneway = false;
};

class ClientManageProcessorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BrokerConfig c;
    c.broker_name = "broker-a";
    c.bind_address = "127.0.0.1";
    c.broker_ip1 = "127.0.0.1";
    c.listen_port = 0;
    c.store = testing::SmallStoreConfig(dir_.Sub("store"), store::FlushDiskType::kAsyncFlush);
    broker_ = std::make_unique<BrokerController>(c);
    ASSERT_TRUE(broker_->Start().ok());
  }
  void TearDown() override {
    c1_.remoting.Shutdown();
    c2_.remoting.Shutdown();
    broker_->Shutdown();
  }

  std::string Addr() const { return "127.0.0.1:" + std::to_string(broker_->port()); }

  RemotingCommand Invoke(Client& c, RemotingCommand request) {
    Result<RemotingCommand> r = c.remoting.InvokeSync(Addr(), std::move(request), kTimeout);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : RemotingCommand{};
  }

  RemotingCommand ConsumerList(Client& c, const std::string& group) {
    RemotingCommand req = RemotingCommand::CreateRequest(RequestCode::GET_CONSUMER_LIST_BY_GROUP);
    req.SetExtField("consumerGroup", group);
    return Invoke(c, std::move(req));
  }

  RemotingCommand Lock(Client& c, int32_t code, const std::string& client_id,
                       std::set<MessageQueue> mqs) {
    LockBatchRequestBody body;
    body.consumer_group = kGroup;
    body.client_id = client_id;
    body.mq_set = std::move(mqs);
    RemotingCommand req = RemotingCommand::CreateRequest(code);
    req.body = EncodeLockBatchRequestBody(body);
    return Invoke(c, std::move(req));
  }

  std::vector<std::string> Ids(const std::string& group) {
    return broker_->consumer_manager().GetAllClientId(group);
  }

  holdfast::testing::TempDir dir_;
  std::unique_ptr<BrokerController> broker_;
  Client c1_;
  Client c2_;
};

TEST_F(ClientManageProcessorTest, HeartbeatRegistersConsumerAndCreatesRetryTopic) {
  RemotingCommand r = Invoke(c1_, HeartbeatRequest("c1", {kGroup, kTopic, "TagA || TagB", 9}));
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.ToString();
  EXPECT_EQ(r.version, protocol::kCurrentVersion);
  EXPECT_EQ(Ids(kGroup), (std::vector<std::string>{"c1"}));
  std::optional<SubscriptionData> sub =
      broker_->consumer_manager().FindSubscriptionData(kGroup, kTopic);
  ASSERT_TRUE(sub.has_value());
  EXPECT_EQ(sub->sub_version, 9);
  EXPECT_EQ(sub->tags_set, (std::set<std::string>{"TagA", "TagB"}));
  // Auto-created group and its retry topic (1 queue, read+write).
  EXPECT_TRUE(broker_->subscription_group_manager().SelectSubscriptionGroupConfig(kGroup));
  std::optional<TopicConfig> retry =
      broker_->topic_config_manager().SelectTopicConfig(std::string("%RETRY%") + kGroup);
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->read_queue_nums, 1);
  EXPECT_EQ(retry->write_queue_nums, 1);
  EXPECT_EQ(retry->perm, 6);

  RemotingCommand list = ConsumerList(c1_, kGroup);
  ASSERT_EQ(list.code, ResponseCode::SUCCESS) << list.ToString();
  EXPECT_EQ(nlohmann::json::parse(list.body),
            nlohmann::json::parse(R"({"consumerIdList":["c1"]})"));
}

TEST_F(ClientManageProcessorTest, BroadcastingConsumerGetsNoRetryTopic) {
  HeartbeatConsumer consumer{"BcGroup", kTopic};
  consumer.message_model = "BROADCASTING";
  ASSERT_EQ(Invoke(c1_, HeartbeatRequest("c1", consumer)).code, ResponseCode::SUCCESS);
  EXPECT_EQ(Ids("BcGroup"), (std::vector<std::string>{"c1"}));
  EXPECT_FALSE(broker_->topic_config_manager().SelectTopicConfig("%RETRY%BcGroup").has_value());
}

TEST_F(ClientManageProcessorTest, UnknownGroupHasNoConsumerList) {
  RemotingCommand list = ConsumerList(c1_, "Nobody");
  EXPECT_EQ(list.code, ResponseCode::SYSTEM_ERROR);
  EXPECT_EQ(list.remark, "no consumer for this group, Nobody");
}

TEST_F(ClientManageProcessorTest, MembershipChangesAreNotifiedToTheGroup) {
  ASSERT_EQ(Invoke(c1_, HeartbeatRequest("c1", {kGroup, kTopic})).code, ResponseCode::SUCCESS);
  // c1's own join notifies c1.
  ASSERT_TRUE(WaitUntil([&] { return c1_.NotifyCount() == 1; }));
  ASSERT_EQ(Invoke(c2_, HeartbeatRequest("c2", {kGroup, kTopic})).code, ResponseCode::SUCCESS);
  ASSERT_TRUE(WaitUntil([&] { return c1_.NotifyCount() == 2 && c2_.NotifyCount() == 1; }));
  {
    std::lock_guard lock(c1_.mu);
    EXPECT_EQ(c1_.notified.back(), kGroup);
    EXPECT_TRUE(c1_.oneway);
  }
  // A repeated heartbeat changes nothing: no notification (one would have been queued on c2's
  // connection before the response).
  ASSERT_EQ(Invoke(c2_, HeartbeatRequest("c2", {kGroup, kTopic})).code, ResponseCode::SUCCESS);
  EXPECT_EQ(c2_.NotifyCount(), 1u);

  // c2 goes away (its connection closes): c1 is told and the list shrinks.
  c2_.remoting.Shutdown();
  ASSERT_TRUE(WaitUntil([&] { return Ids(kGroup) == std::vector<std::string>{"c1"}; }));
  ASSERT_TRUE(WaitUntil([&] { return c1_.NotifyCount() == 3; }));
  EXPECT_EQ(c2_.NotifyCount(), 1u);

  // UNREGISTER_CLIENT removes c1 as well.
  RemotingCommand unregister = RemotingCommand::CreateRequest(RequestCode::UNREGISTER_CLIENT);
  unregister.SetExtField("clientID", "c1");
  unregister.SetExtField("consumerGroup", kGroup);
  ASSERT_EQ(Invoke(c1_, std::move(unregister)).code, ResponseCode::SUCCESS);
  EXPECT_TRUE(Ids(kGroup).empty());
  EXPECT_EQ(ConsumerList(c1_, kGroup).code, ResponseCode::SYSTEM_ERROR);
}

TEST_F(ClientManageProcessorTest, ProducerHeartbeatRegistersUntilClose) {
  ASSERT_EQ(Invoke(c1_, HeartbeatRequest("p1", {}, "PGroup")).code, ResponseCode::SUCCESS);
  std::vector<ClientChannelInfo> channels = broker_->producer_manager().GetGroupChannels("PGroup");
  ASSERT_EQ(channels.size(), 1u);
  EXPECT_EQ(channels[0].client_id, "p1");
  EXPECT_EQ(channels[0].version, 479);
  c1_.remoting.Shutdown();
  ASSERT_TRUE(
      WaitUntil([&] { return broker_->producer_manager().GetGroupChannels("PGroup").empty(); }));
}

TEST_F(ClientManageProcessorTest, BadHeartbeatBodyIsRejectedAndTheBrokerKeepsServing) {
  RemotingCommand bad = HeartbeatRequest("c1", {kGroup, kTopic});
  bad.body = R"({"clientID":"c1","consumerDataSet":[{"groupName":"G","consumeType":"SOMETIMES"}]})";
  RemotingCommand r = Invoke(c1_, std::move(bad));
  EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR);
  EXPECT_NE(r.remark.value_or("").find("consumerDataSet[0].consumeType"), std::string::npos)
      << r.remark.value_or("");
  EXPECT_EQ(Invoke(c1_, HeartbeatRequest("c1", {kGroup, kTopic})).code, ResponseCode::SUCCESS);
}

TEST_F(ClientManageProcessorTest, LockBatchGivesEachQueueOneOwner) {
  const MessageQueue q0{kTopic, "broker-a", 0};
  const MessageQueue q1{kTopic, "broker-a", 1};
  RemotingCommand r = Lock(c1_, RequestCode::LOCK_BATCH_MQ, "c1", {q0, q1});
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.ToString();
  EXPECT_EQ(DecodeLockBatchResponseBody(r.body).value().lock_ok_mq_set,
            (std::set<MessageQueue>{q0, q1}));

  r = Lock(c2_, RequestCode::LOCK_BATCH_MQ, "c2", {q0, q1});
  ASSERT_EQ(r.code, ResponseCode::SUCCESS);
  EXPECT_TRUE(DecodeLockBatchResponseBody(r.body).value().lock_ok_mq_set.empty());

  ASSERT_EQ(Lock(c1_, RequestCode::UNLOCK_BATCH_MQ, "c1", {q0}).code, ResponseCode::SUCCESS);
  r = Lock(c2_, RequestCode::LOCK_BATCH_MQ, "c2", {q0, q1});
  EXPECT_EQ(DecodeLockBatchResponseBody(r.body).value().lock_ok_mq_set,
            (std::set<MessageQueue>{q0}));

  RemotingCommand bad = RemotingCommand::CreateRequest(RequestCode::LOCK_BATCH_MQ);
  bad.body = "{";
  r = Invoke(c1_, std::move(bad));
  EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR);
  EXPECT_NE(r.remark.value_or("").find("LockBatchRequestBody"), std::string::npos);
}

}  // namespace
}  // namespace holdfast::broker
