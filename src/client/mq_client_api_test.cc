// MQClientAPI against a real in-process name server and broker (route, send, pull, offsets,
// name-server failover), and against a small recording RemotingServer for the RPCs whose broker
// side is written elsewhere (heartbeat, consumer list, lock, unlock, send-back, unregister).
#include "client/mq_client_api.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/clock.h"
#include "common/loopback_port.h"
#include "common/message.h"
#include "remoting/protocol/mq_version.h"
#include "remoting/remoting_server.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"
#include "tests/support/mini_cluster.h"
#include "tests/support/wait_until.h"

namespace holdfast::client {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using protocol::EncodeHeartbeatData;
using protocol::HeartbeatData;
using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;

constexpr auto kTimeout = 3000ms;

ClientConfig ConfigFor(const std::string& namesrv) {
  ClientConfig c;
  c.namesrv_addr = namesrv;
  c.client_ip = "127.0.0.1";
  return c;
}

// Answers every request code it is given with `answer(request)` and keeps the last request.
class RecordingServer {
 public:
  RecordingServer() : server_(Options()) {}
  static remoting::RemotingServerOptions Options() {
    remoting::RemotingServerOptions o;
    o.host = "127.0.0.1";
    return o;
  }
  ~RecordingServer() { server_.Shutdown(); }

  void Answer(int32_t code, std::function<RemotingCommand(const RemotingCommand&)> answer) {
    server_.RegisterProcessor(
        code, [this, answer](const RemotingCommand& request, remoting::ResponseWriter writer) {
          {
            std::lock_guard<std::mutex> lock(mu_);
            last_ = request;
          }
          if (!request.IsOneway()) (void)writer.Write(answer(request));
        });
  }
  void Start() { ASSERT_TRUE(server_.Start().ok()); }
  std::string Addr() const { return "127.0.0.1:" + std::to_string(server_.port()); }
  std::optional<RemotingCommand> last() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_;
  }

 private:
  remoting::RemotingServer server_;
  std::mutex mu_;
  std::optional<RemotingCommand> last_;
};

RemotingCommand Ok(const RemotingCommand& request) {
  return RemotingCommand::CreateResponse(request, ResponseCode::SUCCESS);
}

class MQClientAPIRecordingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Answer(RequestCode::HEART_BEAT, Ok);
    server_.Answer(RequestCode::UNREGISTER_CLIENT, Ok);
    server_.Answer(RequestCode::CONSUMER_SEND_MSG_BACK, [](const RemotingCommand& r) {
      return RemotingCommand::CreateResponse(r, ResponseCode::SUBSCRIPTION_GROUP_NOT_EXIST,
                                             "subscription group not exist");
    });
    server_.Answer(RequestCode::GET_CONSUMER_LIST_BY_GROUP, [](const RemotingCommand& r) {
      RemotingCommand resp = Ok(r);
      resp.body = R"({"consumerIdList":["10.0.0.1@a","10.0.0.2@b"]})";
      return resp;
    });
    server_.Answer(RequestCode::LOCK_BATCH_MQ, [](const RemotingCommand& r) {
      RemotingCommand resp = Ok(r);
      resp.body = R"({"lockOKMQSet":[{"brokerName":"b","queueId":1,"topic":"T"}]})";
      return resp;
    });
    server_.Answer(RequestCode::UNLOCK_BATCH_MQ, Ok);
    server_.Answer(RequestCode::QUERY_CONSUMER_OFFSET, [](const RemotingCommand& r) {
      return RemotingCommand::CreateResponse(r, ResponseCode::QUERY_NOT_FOUND, "Not found");
    });
    server_.Start();
    api_.Start();
  }
  void TearDown() override { api_.Shutdown(); }

  RecordingServer server_;
  MQClientAPI api_{ConfigFor("127.0.0.1:1")};
};

TEST_F(MQClientAPIRecordingTest, HeartbeatCarriesTheJsonBody) {
  HeartbeatData hb;
  hb.client_id = "127.0.0.1@x";
  hb.producer_data_set.push_back({"PG"});
  ASSERT_TRUE(api_.SendHeartbeat(server_.Addr(), hb, kTimeout).ok());
  RemotingCommand r = *server_.last();
  EXPECT_EQ(r.code, RequestCode::HEART_BEAT);
  EXPECT_EQ(r.version, protocol::kCurrentVersion);
  EXPECT_EQ(r.body, EncodeHeartbeatData(hb));
}

TEST_F(MQClientAPIRecordingTest, UnregisterClientNamesOnlyTheGivenGroups) {
  ASSERT_TRUE(api_.UnregisterClient(server_.Addr(), "cid", "", "CG", kTimeout).ok());
  RemotingCommand r = *server_.last();
  EXPECT_EQ(r.code, RequestCode::UNREGISTER_CLIENT);
  EXPECT_EQ(*r.FindExtField("clientID"), "cid");
  EXPECT_EQ(*r.FindExtField("consumerGroup"), "CG");
  EXPECT_EQ(r.FindExtField("producerGroup"), nullptr);
}

TEST_F(MQClientAPIRecordingTest, ConsumerIdListIsDecoded) {
  Result<std::vector<std::string>> ids =
      api_.GetConsumerIdListByGroup(server_.Addr(), "CG", kTimeout);
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  EXPECT_EQ(*ids, (std::vector<std::string>{"10.0.0.1@a", "10.0.0.2@b"}));
  EXPECT_EQ(*server_.last()->FindExtField("consumerGroup"), "CG");
}

TEST_F(MQClientAPIRecordingTest, LockAndUnlockSendTheQueueSet) {
  std::set<MessageQueue> mqs = {{"T", "b", 0}, {"T", "b", 1}};
  Result<std::set<MessageQueue>> locked =
      api_.LockBatchMQ(server_.Addr(), "CG", "cid", mqs, kTimeout);
  ASSERT_TRUE(locked.ok()) << locked.status().ToString();
  EXPECT_EQ(*locked, (std::set<MessageQueue>{{"T", "b", 1}}));
  json body = json::parse(server_.last()->body);
  EXPECT_EQ(body["clientId"], "cid");
  EXPECT_EQ(body["consumerGroup"], "CG");
  EXPECT_EQ(body["onlyThisBroker"], false);
  ASSERT_EQ(body["mqSet"].size(), 2u);
  EXPECT_EQ(body["mqSet"][1], (json{{"brokerName", "b"}, {"queueId", 1}, {"topic", "T"}}));

  ASSERT_TRUE(api_.UnlockBatchMQ(server_.Addr(), "CG", "cid", mqs, kTimeout, false).ok());
  EXPECT_EQ(server_.last()->code, RequestCode::UNLOCK_BATCH_MQ);
  // Oneway: wait for the server to have seen it.
  ASSERT_TRUE(api_.UnlockBatchMQ(server_.Addr(), "CG2", "cid", mqs, kTimeout, true).ok());
  EXPECT_TRUE(testing::WaitUntil([&] {
    auto last = server_.last();
    return last && last->IsOneway() && json::parse(last->body)["consumerGroup"] == "CG2";
  }));
}

TEST_F(MQClientAPIRecordingTest, SendBackFieldsAndErrorNamingCodeAndRemark) {
  MQMessageExt m;
  m.topic = "T";
  m.msg_id = "UNIQ";
  m.commit_log_offset = 4242;
  Status s = api_.ConsumerSendMessageBack(server_.Addr(), m, "CG", 3, kTimeout, 16);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("SUBSCRIPTION_GROUP_NOT_EXIST(26)"), std::string::npos)
      << s.ToString();
  EXPECT_NE(s.message().find("subscription group not exist"), std::string::npos);
  RemotingCommand r = *server_.last();
  EXPECT_EQ(*r.FindExtField("offset"), "4242");
  EXPECT_EQ(*r.FindExtField("group"), "CG");
  EXPECT_EQ(*r.FindExtField("delayLevel"), "3");
  EXPECT_EQ(*r.FindExtField("originMsgId"), "UNIQ");
  EXPECT_EQ(*r.FindExtField("originTopic"), "T");
  EXPECT_EQ(*r.FindExtField("maxReconsumeTimes"), "16");
}

TEST_F(MQClientAPIRecordingTest, QueryNotFoundIsNotFound) {
  Result<int64_t> r = api_.QueryConsumerOffset(server_.Addr(), "CG", "T", 3, kTimeout);
  EXPECT_TRUE(r.status().IsNotFound()) << r.status().ToString();
  RemotingCommand req = *server_.last();
  EXPECT_EQ(*req.FindExtField("consumerGroup"), "CG");
  EXPECT_EQ(*req.FindExtField("topic"), "T");
  EXPECT_EQ(*req.FindExtField("queueId"), "3");
}

TEST(SendResponseTest, CodesMapToSendStatusOrErrors) {
  RemotingCommand request = BuildSendRequest(SendMessageRequestHeader{}, "");
  auto response = [&](int32_t code) {
    RemotingCommand r = RemotingCommand::CreateResponse(request, code, "why");
    r.SetExtField("msgId", "OFFSETID");
    r.SetExtField("queueId", "3");
    r.SetExtField("queueOffset", "99");
    return r;
  };
  const std::pair<int32_t, SendStatus> cases[] = {
      {ResponseCode::SUCCESS, SendStatus::kSendOk},
      {ResponseCode::FLUSH_DISK_TIMEOUT, SendStatus::kFlushDiskTimeout},
      {ResponseCode::FLUSH_SLAVE_TIMEOUT, SendStatus::kFlushSlaveTimeout},
      {ResponseCode::SLAVE_NOT_AVAILABLE, SendStatus::kSlaveNotAvailable}};
  for (auto [code, status] : cases) {
    Result<SendResult> r = ProcessSendResponse("b", "T", response(code), "UNIQ");
    ASSERT_TRUE(r.ok()) << code;
    EXPECT_EQ(r->send_status, status);
    EXPECT_EQ(r->msg_id, "UNIQ");
    EXPECT_EQ(r->offset_msg_id, "OFFSETID");
    EXPECT_EQ(r->message_queue, (MessageQueue{"T", "b", 3}));
    EXPECT_EQ(r->queue_offset, 99);
    EXPECT_EQ(r->region_id, "DefaultRegion");
  }
  Result<SendResult> busy = ProcessSendResponse("b", "T", response(ResponseCode::SYSTEM_BUSY), "U");
  ASSERT_FALSE(busy.ok());
  EXPECT_TRUE(IsRetryableSendError(busy.status()));
  EXPECT_NE(busy.status().message().find("SYSTEM_BUSY(2): why"), std::string::npos);
  Result<SendResult> illegal =
      ProcessSendResponse("b", "T", response(ResponseCode::MESSAGE_ILLEGAL), "U");
  ASSERT_FALSE(illegal.ok());
  EXPECT_FALSE(IsRetryableSendError(illegal.status()));
  EXPECT_NE(illegal.status().message().find("MESSAGE_ILLEGAL(13)"), std::string::npos);
}

TEST(SendRequestTest, V2ShortKeysAndBatchCode) {
  SendMessageRequestHeader h;
  h.producer_group = "PG";
  h.topic = "T";
  h.default_topic = "TBW102";
  h.queue_id = 2;
  h.sys_flag = 1;
  h.born_timestamp = 123;
  h.flag = 9;
  h.properties = "p";
  RemotingCommand r = BuildSendRequest(h, "body");
  EXPECT_EQ(r.code, RequestCode::SEND_MESSAGE_V2);
  using Fields = std::map<std::string, std::string>;
  const Fields want = {{"a", "PG"}, {"b", "T"}, {"c", "TBW102"}, {"d", "4"},
                       {"e", "2"},  {"f", "1"}, {"g", "123"},    {"h", "9"},
                       {"i", "p"},  {"j", "0"}, {"k", "false"},  {"m", "false"}};
  EXPECT_EQ(Fields(r.ext_fields.begin(), r.ext_fields.end()), want);
  EXPECT_EQ(r.body, "body");
  h.batch = true;
  EXPECT_EQ(BuildSendRequest(h, "").code, RequestCode::SEND_BATCH_MESSAGE);
  EXPECT_EQ(*BuildSendRequest(h, "").FindExtField("m"), "true");
}

class MQClientAPIClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_.StartBroker("broker-a");
    cluster_.CreateTopic("TopicA", 2);
    api_ = std::make_unique<MQClientAPI>(ConfigFor(cluster_.NamesrvAddr()));
    api_->Start();
  }
  void TearDown() override { api_->Shutdown(); }

  SendMessageRequestHeader Header(int32_t queue_id, const std::string& properties) {
    SendMessageRequestHeader h;
    h.producer_group = "PG";
    h.topic = "TopicA";
    h.default_topic = "TBW102";
    h.queue_id = queue_id;
    h.born_timestamp = NowMillis();
    h.properties = properties;
    return h;
  }

  Result<PullResult> Pull(int32_t queue_id, int64_t offset) {
    PullMessageRequestHeader h;
    h.consumer_group = "CG";
    h.topic = "TopicA";
    h.queue_id = queue_id;
    h.queue_offset = offset;
    h.max_msg_nums = 32;
    h.sys_flag = kPullFlagSubscription;
    h.subscription = "*";
    h.suspend_timeout_millis = 0;
    h.broker_name = "broker-a";
    std::promise<Result<PullResult>> done;
    api_->PullMessageAsync(cluster_.BrokerAddr("broker-a"), h, kTimeout,
                           [&](Result<PullResult> r) { done.set_value(std::move(r)); });
    return done.get_future().get();
  }

  testing::MiniCluster cluster_;
  std::unique_ptr<MQClientAPI> api_;
};

TEST_F(MQClientAPIClusterTest, RouteOfKnownAndUnknownTopics) {
  Result<TopicRouteData> route = api_->GetTopicRouteInfoFromNameServer("TopicA", kTimeout);
  ASSERT_TRUE(route.ok()) << route.status().ToString();
  ASSERT_EQ(route->broker_datas.size(), 1u);
  EXPECT_EQ(route->broker_datas[0].MasterAddr(), cluster_.BrokerAddr("broker-a"));
  EXPECT_EQ(TopicRouteToPublishQueues(*route, "TopicA").size(), 2u);
  EXPECT_TRUE(api_->GetTopicRouteInfoFromNameServer("NoSuchTopic", kTimeout).status().IsNotFound());
}

TEST_F(MQClientAPIClusterTest, DeadFirstNameServerIsSkipped) {
  const std::string dead = "127.0.0.1:" + std::to_string(FreeLoopbackPort().value());
  MQClientAPI api(ConfigFor(dead + ";" + cluster_.NamesrvAddr()));
  api.Start();
  for (int i = 0; i < 3; ++i) {
    Result<TopicRouteData> route = api.GetTopicRouteInfoFromNameServer("TopicA", kTimeout);
    ASSERT_TRUE(route.ok()) << route.status().ToString();
  }
  api.Shutdown();
  MQClientAPI all_dead(ConfigFor(dead));
  all_dead.Start();
  Result<TopicRouteData> none = all_dead.GetTopicRouteInfoFromNameServer("TopicA", kTimeout);
  EXPECT_EQ(none.status().code(), Status::Code::kUnavailable) << none.status().ToString();
  all_dead.Shutdown();
}

TEST_F(MQClientAPIClusterTest, SyncAsyncOnewaySendsAreReadBackByPull) {
  const std::string addr = cluster_.BrokerAddr("broker-a");
  PropertyMap props = {{"UNIQ_KEY", "U1"}, {"TAGS", "TagA"}, {"KEYS", "k1 k2"}, {"user", "v"}};
  Result<SendResult> sync =
      api_->SendMessageSync(addr, "broker-a", Header(1, EncodeProperties(props)),
                            std::string("sync\0body", 9), "U1", kTimeout);
  ASSERT_TRUE(sync.ok()) << sync.status().ToString();
  EXPECT_EQ(sync->send_status, SendStatus::kSendOk);
  EXPECT_EQ(sync->msg_id, "U1");
  EXPECT_EQ(sync->message_queue, (MessageQueue{"TopicA", "broker-a", 1}));
  EXPECT_EQ(sync->queue_offset, 0);

  props["UNIQ_KEY"] = "U2";
  std::promise<Result<SendResult>> async_done;
  api_->SendMessageAsync(addr, "broker-a", Header(1, EncodeProperties(props)), "async", "U2",
                         kTimeout, [&](Result<SendResult> r, bool answered) {
                           EXPECT_TRUE(answered);
                           async_done.set_value(std::move(r));
                         });
  Result<SendResult> async = async_done.get_future().get();
  ASSERT_TRUE(async.ok()) << async.status().ToString();
  EXPECT_EQ(async->queue_offset, 1);

  props["UNIQ_KEY"] = "U3";
  ASSERT_TRUE(api_->SendMessageOneway(addr, Header(1, EncodeProperties(props)), "oneway").ok());

  std::vector<MQMessageExt> got;
  ASSERT_TRUE(testing::WaitUntil([&] {
    Result<PullResult> r = Pull(1, 0);
    if (!r.ok() || r->status != PullStatus::kFound) return false;
    got = r->msgs;
    return got.size() == 3;
  }));
  EXPECT_EQ(got[0].body, std::string("sync\0body", 9));
  EXPECT_EQ(got[0].msg_id, "U1");
  EXPECT_EQ(got[0].offset_msg_id, sync->offset_msg_id);
  EXPECT_EQ(got[0].tags, "TagA");
  EXPECT_EQ(got[0].keys, (std::vector<std::string>{"k1", "k2"}));
  EXPECT_EQ(got[0].properties.at("user"), "v");
  EXPECT_EQ(got[0].properties.at("MAX_OFFSET"), "3");
  EXPECT_EQ(got[0].broker_name, "broker-a");
  EXPECT_EQ(got[1].body, "async");
  EXPECT_EQ(got[2].body, "oneway");
  EXPECT_EQ(got[2].msg_id, "U3");
  EXPECT_EQ(got[2].queue_offset, 2);

  Result<PullResult> empty = Pull(1, 3);
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_NE(empty->status, PullStatus::kFound);
  EXPECT_EQ(empty->next_begin_offset, 3);
}

TEST_F(MQClientAPIClusterTest, ConsumerOffsetsAndQueueOffsets) {
  const std::string addr = cluster_.BrokerAddr("broker-a");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(api_->SendMessageSync(addr, "broker-a", Header(0, ""), "m", "", kTimeout).ok());
  }
  // The max offset counts dispatched messages, which may lag the send responses.
  EXPECT_TRUE(testing::WaitUntil([&] {
    Result<int64_t> max = api_->GetMaxOffset(addr, "TopicA", 0, kTimeout);
    return max.ok() && *max == 3;
  }));
  Result<int64_t> min = api_->GetMinOffset(addr, "TopicA", 0, kTimeout);
  ASSERT_TRUE(min.ok()) << min.status().ToString();
  EXPECT_EQ(*min, 0);
  Result<int64_t> search = api_->SearchOffset(addr, "TopicA", 0, 0, kTimeout);
  ASSERT_TRUE(search.ok()) << search.status().ToString();
  EXPECT_EQ(*search, 0);

  // A new group on a young queue gets 0, not QUERY_NOT_FOUND (docs/protocol.md §4.5).
  Result<int64_t> fresh = api_->QueryConsumerOffset(addr, "NewGroup", "TopicA", 1, kTimeout);
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_EQ(*fresh, 0);

  ASSERT_TRUE(api_->UpdateConsumerOffsetOneway(addr, "CG", "TopicA", 0, 2).ok());
  ASSERT_TRUE(testing::WaitUntil([&] {
    Result<int64_t> o = api_->QueryConsumerOffset(addr, "CG", "TopicA", 0, kTimeout);
    return o.ok() && *o == 2;
  }));
}

TEST_F(MQClientAPIClusterTest, PullTimeoutMustExceedTheSuspendTime) {
  PullMessageRequestHeader h;
  h.topic = "TopicA";
  h.suspend_timeout_millis = 15000;
  std::optional<Result<PullResult>> got;
  api_->PullMessageAsync(cluster_.BrokerAddr("broker-a"), h, kTimeout,
                         [&](Result<PullResult> r) { got = std::move(r); });
  ASSERT_TRUE(got.has_value());  // refused at once, in this thread
  EXPECT_EQ(got->status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(got->status().message().find("suspendTimeoutMillis"), std::string::npos);
}

TEST_F(MQClientAPIClusterTest, ErrorsNameTheBrokerAnswer) {
  // Queue 7 does not exist on a 2-queue topic: INVALID_PARAMETER, not retryable.
  Result<SendResult> r = api_->SendMessageSync(cluster_.BrokerAddr("broker-a"), "broker-a",
                                               Header(7, ""), "m", "", kTimeout);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(IsRetryableSendError(r.status()));
  EXPECT_NE(r.status().message().find("broker-a"), std::string::npos) << r.status().ToString();
}

}  // namespace
}  // namespace holdfast::client
