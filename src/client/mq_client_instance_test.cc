#include "client/mq_client_instance.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "remoting/remoting_server.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"
#include "tests/support/mini_cluster.h"
#include "tests/support/wait_until.h"

namespace holdfast::client {
namespace {

using protocol::HeartbeatData;
using remoting::RemotingCommand;
using remoting::RequestCode;

ClientConfig ConfigFor(const std::string& namesrv, const std::string& instance) {
  ClientConfig c;
  c.namesrv_addr = namesrv;
  c.client_ip = "127.0.0.1";
  c.instance_name = instance;
  return c;
}

class FakeConsumer : public MQConsumerInner {
 public:
  std::string GroupName() const override { return "CG"; }
  MessageModel message_model() const override { return MessageModel::kClustering; }
  protocol::ConsumeType ConsumeType() const override {
    return protocol::ConsumeType::kConsumePassively;
  }
  ConsumeFromWhere consume_from_where() const override {
    return ConsumeFromWhere::kConsumeFromLastOffset;
  }
  std::vector<SubscriptionData> Subscriptions() const override {
    return {*BuildSubscriptionData("TopicA", "*")};
  }
  void DoRebalance() override { ++rebalances; }
  void PersistConsumerOffset() override { ++persists; }
  void UpdateTopicSubscribeInfo(const std::string& topic,
                                const std::set<MessageQueue>& queues) override {
    std::lock_guard<std::mutex> lock(mu);
    subscribe_info[topic] = queues;
  }
  bool IsSubscribeTopicNeedUpdate(const std::string&) const override { return false; }

  std::atomic<int> rebalances{0};
  std::atomic<int> persists{0};
  std::mutex mu;
  std::map<std::string, std::set<MessageQueue>> subscribe_info;
};

class FakeProducer : public MQProducerInner {
 public:
  std::set<std::string> PublishTopicList() const override { return {"TopicA"}; }
  void UpdateTopicPublishInfo(const std::string& topic, const TopicRouteData& route) override {
    std::lock_guard<std::mutex> lock(mu);
    routes[topic] = route;
  }
  std::mutex mu;
  std::map<std::string, TopicRouteData> routes;
};

TEST(MQClientInstanceTest, InstancesAreSharedPerClientId) {
  auto a = MQClientManager::GetOrCreateInstance(ConfigFor("127.0.0.1:1", "one"));
  auto b = MQClientManager::GetOrCreateInstance(ConfigFor("127.0.0.1:1", "one"));
  auto c = MQClientManager::GetOrCreateInstance(ConfigFor("127.0.0.1:1", "two"));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(a->client_id(), "127.0.0.1@one");
  ASSERT_TRUE(a->Start().ok());
  ASSERT_TRUE(b->Start().ok());
  a->Shutdown();
  // Still started once: the manager keeps it.
  EXPECT_EQ(MQClientManager::GetOrCreateInstance(ConfigFor("127.0.0.1:1", "one")), a);
  b->Shutdown();
  EXPECT_TRUE(a->terminated());
  EXPECT_EQ(a->Start().code(), Status::Code::kUnavailable);
  auto fresh = MQClientManager::GetOrCreateInstance(ConfigFor("127.0.0.1:1", "one"));
  EXPECT_NE(fresh, a);
  EXPECT_FALSE(fresh->terminated());
  MQClientManager::RemoveInstance("127.0.0.1@one");
  MQClientManager::RemoveInstance("127.0.0.1@two");
}

TEST(MQClientInstanceTest, DefaultInstanceNameBecomesThePid) {
  ClientConfig c;
  c.client_ip = "10.1.2.3";
  EXPECT_EQ(BuildClientId(c), "10.1.2.3@" + std::to_string(getpid()));
}

class MQClientInstanceClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_.StartBroker("broker-a");
    cluster_.CreateTopic("TopicA", 3);
    instance_ =
        std::make_unique<MQClientInstance>(ConfigFor(cluster_.NamesrvAddr(), "t"), "127.0.0.1@t");
    ASSERT_TRUE(instance_->Start().ok());
  }
  void TearDown() override {
    instance_->UnregisterConsumer("CG");
    instance_->UnregisterProducer("PG");
    instance_->Shutdown();
  }

  testing::MiniCluster cluster_;
  std::unique_ptr<MQClientInstance> instance_;
  FakeConsumer consumer_;
  FakeProducer producer_;
};

TEST_F(MQClientInstanceClusterTest, RouteUpdateReachesProducersAndConsumers) {
  ASSERT_TRUE(instance_->RegisterProducer("PG", &producer_).ok());
  ASSERT_TRUE(instance_->RegisterConsumer("CG", &consumer_).ok());
  EXPECT_EQ(instance_->RegisterConsumer("CG", &consumer_).code(), Status::Code::kAlreadyExists);
  // The scheduled thread may get there first; either way the route arrives.
  instance_->UpdateTopicRouteInfoFromNameServer("TopicA");
  EXPECT_FALSE(instance_->UpdateTopicRouteInfoFromNameServer("TopicA"));  // unchanged
  {
    std::lock_guard<std::mutex> lock(producer_.mu);
    ASSERT_EQ(producer_.routes.count("TopicA"), 1u);
    EXPECT_EQ(TopicRouteToPublishQueues(producer_.routes["TopicA"], "TopicA").size(), 3u);
  }
  {
    std::lock_guard<std::mutex> lock(consumer_.mu);
    EXPECT_EQ(consumer_.subscribe_info["TopicA"].size(), 3u);
  }
  const std::string addr = cluster_.BrokerAddr("broker-a");
  EXPECT_EQ(instance_->FindBrokerAddressInPublish("broker-a"), addr);
  EXPECT_EQ(instance_->FindBrokerAddressInSubscribe("broker-a"), addr);
  EXPECT_EQ(instance_->FindBrokerAddrByTopic("TopicA"), addr);
  EXPECT_EQ(instance_->FindBrokerAddressInSubscribe("broker-x"), std::nullopt);
  EXPECT_EQ(instance_->FindBrokerAddrByTopic("NoSuchTopic"), std::nullopt);
}

TEST_F(MQClientInstanceClusterTest, RebalanceImmediatelyRunsEveryConsumer) {
  ASSERT_TRUE(instance_->RegisterConsumer("CG", &consumer_).ok());
  int before = consumer_.rebalances.load();
  instance_->RebalanceImmediately();
  EXPECT_TRUE(testing::WaitUntil([&] { return consumer_.rebalances.load() > before; }));
  instance_->UnregisterConsumer("CG");
  int after = consumer_.rebalances.load();
  instance_->RebalanceImmediately();
  instance_->SendHeartbeatToAllBrokers();
  EXPECT_EQ(consumer_.rebalances.load(), after);
}

TEST(MQClientInstanceHeartbeatTest, RegisteringSendsAHeartbeatToTheTopicsBrokersAtOnce) {
  testing::MiniCluster cluster;  // a name server only
  remoting::RemotingServerOptions options;
  options.host = "127.0.0.1";
  remoting::RemotingServer broker(options);
  std::mutex mu;
  std::vector<std::string> bodies;
  broker.RegisterProcessor(
      RequestCode::HEART_BEAT, [&](const RemotingCommand& r, remoting::ResponseWriter w) {
        {
          std::lock_guard<std::mutex> lock(mu);
          bodies.push_back(r.body);
        }
        (void)w.Write(RemotingCommand::CreateResponse(r, remoting::ResponseCode::SUCCESS));
      });
  ASSERT_TRUE(broker.Start().ok());
  namesrv::RegisterBrokerRequest reg;
  reg.cluster_name = "DefaultCluster";
  reg.broker_addr = "127.0.0.1:" + std::to_string(broker.port());
  reg.broker_name = "broker-h";
  reg.ha_server_addr = "127.0.0.1:1";
  reg.topic_configs.push_back(protocol::TopicConfig("TopicA", 2, 2, 6));
  cluster.namesrv().route_info_manager().RegisterBroker(reg);

  ClientConfig config = ConfigFor(cluster.NamesrvAddr(), "h");
  config.heartbeat_broker_interval = std::chrono::hours(1);  // only the registration's heartbeat
  config.poll_name_server_interval = std::chrono::hours(1);
  MQClientInstance instance(config, "127.0.0.1@h");
  ASSERT_TRUE(instance.Start().ok());
  FakeProducer producer;
  ASSERT_TRUE(instance.RegisterProducer("PG", &producer).ok());
  // Well before the scheduled first heartbeat (1 s after Start) and its 1 h interval.
  ASSERT_TRUE(testing::WaitUntil(
      [&] {
        std::lock_guard<std::mutex> lock(mu);
        return !bodies.empty();
      },
      std::chrono::milliseconds(900)));
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(
        bodies[0],
        R"({"clientID":"127.0.0.1@h","consumerDataSet":[],"producerDataSet":[{"groupName":"PG"}]})");
  }
  instance.UnregisterProducer("PG");
  instance.Shutdown();
  broker.Shutdown();
}

TEST(MQClientInstanceNotifyTest, NotifyConsumerIdsChangedTriggersRebalance) {
  remoting::RemotingServerOptions options;
  options.host = "127.0.0.1";
  remoting::RemotingServer server(options);
  server.RegisterProcessor(
      RequestCode::HEART_BEAT, [](const RemotingCommand& r, remoting::ResponseWriter w) {
        (void)w.Write(RemotingCommand::CreateResponse(r, remoting::ResponseCode::SUCCESS));
      });
  ASSERT_TRUE(server.Start().ok());
  MQClientInstance instance(ConfigFor("127.0.0.1:1", "n"), "127.0.0.1@n");
  ASSERT_TRUE(instance.Start().ok());
  FakeConsumer consumer;
  ASSERT_TRUE(instance.RegisterConsumer("CG", &consumer).ok());
  // Open the connection the broker will use to notify.
  HeartbeatData hb;
  hb.client_id = instance.client_id();
  ASSERT_TRUE(
      instance.api()
          .SendHeartbeat("127.0.0.1:" + std::to_string(server.port()), hb, std::chrono::seconds(3))
          .ok());
  ASSERT_EQ(server.connections().size(), 1u);
  int before = consumer.rebalances.load();
  RemotingCommand notify = RemotingCommand::CreateRequest(RequestCode::NOTIFY_CONSUMER_IDS_CHANGED);
  notify.SetExtField("consumerGroup", "CG");
  notify.MarkOneway();
  ASSERT_TRUE(server.connections()[0]->Send(notify).ok());
  EXPECT_TRUE(testing::WaitUntil([&] { return consumer.rebalances.load() > before; }));
  instance.UnregisterConsumer("CG");
  instance.Shutdown();
  server.Shutdown();
}

}  // namespace
}  // namespace holdfast::client
