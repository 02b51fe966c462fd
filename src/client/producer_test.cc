// holdfast::Producer against real in-process name servers and brokers: every message sent is
// read back from the broker with a PULL and compared byte for byte.
#include "holdfast/producer.h"

#include <gtest/gtest.h>

#include <future>
#include <set>
#include <stdexcept>

#include "client/mq_client_api.h"
#include "common/loopback_port.h"
#include "common/message.h"
#include "remoting/protocol/perm_name.h"
#include "remoting/remoting_server.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"
#include "tests/support/mini_cluster.h"
#include "tests/support/wait_until.h"

namespace holdfast {
namespace {

using namespace std::chrono_literals;
using client::MQClientAPI;
using client::PullMessageRequestHeader;
using client::PullResult;
using client::PullStatus;

constexpr auto kTimeout = 3000ms;

class ProducerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_.StartBroker("broker-a");
    cluster_.CreateTopic("TopicP", 4);
    ClientConfig reader_config;
    reader_config.namesrv_addr = cluster_.NamesrvAddr();
    reader_ = std::make_unique<MQClientAPI>(reader_config);
    reader_->Start();
  }
  void TearDown() override { reader_->Shutdown(); }

  ProducerOptions Options(const std::string& instance = "p") {
    ProducerOptions o;
    o.group = "PG";
    o.client.namesrv_addr = cluster_.NamesrvAddr();
    o.client.client_ip = "127.0.0.1";
    o.client.instance_name = instance;
    return o;
  }

  // The messages stored in `mq` from `offset` on (up to `n`), waiting until they are visible.
  std::vector<MQMessageExt> ReadBack(const MessageQueue& mq, int64_t offset, size_t n = 1) {
    std::vector<MQMessageExt> got;
    EXPECT_TRUE(testing::WaitUntil([&] {
      PullMessageRequestHeader h;
      h.consumer_group = "reader";
      h.topic = mq.topic;
      h.queue_id = mq.queue_id;
      h.queue_offset = offset;
      h.max_msg_nums = static_cast<int32_t>(n);
      h.sys_flag = client::kPullFlagSubscription;
      h.subscription = "*";
      h.suspend_timeout_millis = 0;
      h.broker_name = mq.broker_name;
      std::promise<Result<PullResult>> done;
      reader_->PullMessageAsync(cluster_.BrokerAddr(mq.broker_name), h, kTimeout,
                                [&](Result<PullResult> r) { done.set_value(std::move(r)); });
      Result<PullResult> r = done.get_future().get();
      if (!r.ok() || r->status != PullStatus::kFound) return false;
      got = r->msgs;
      return got.size() >= n;
    }));
    return got;
  }

  MQMessage Message(const std::string& body) {
    MQMessage m;
    m.topic = "TopicP";
    m.body = body;
    m.tags = "TagA";
    m.keys = {"k1", "k2"};
    m.flag = 5;
    m.properties = {{"color", "blue"}};
    return m;
  }

  void ExpectSame(const MQMessageExt& got, const MQMessage& sent, const SendResult& r) {
    EXPECT_EQ(got.body, sent.body);
    EXPECT_EQ(got.tags, sent.tags);
    EXPECT_EQ(got.keys, sent.keys);
    EXPECT_EQ(got.flag, sent.flag);
    EXPECT_EQ(got.properties.at("color"), "blue");
    EXPECT_EQ(got.properties.at("WAIT"), "true");
    EXPECT_EQ(got.msg_id, r.msg_id);
    EXPECT_EQ(got.properties.at("UNIQ_KEY"), r.msg_id);
    EXPECT_EQ(got.offset_msg_id, r.offset_msg_id);
    EXPECT_EQ(got.queue_offset, r.queue_offset);
  }

  testing::MiniCluster cluster_;
  std::unique_ptr<MQClientAPI> reader_;
};

TEST_F(ProducerTest, SyncSendIsStoredWithExactBytesPropertiesKeysAndTags) {
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  MQMessage m = Message(std::string("binary\0\x01\x02\xff", 10));
  Result<SendResult> r = producer.Send(m);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->send_status, SendStatus::kSendOk);
  EXPECT_EQ(r->msg_id.size(), 32u);
  EXPECT_EQ(r->message_queue.topic, "TopicP");
  EXPECT_EQ(r->message_queue.broker_name, "broker-a");
  std::vector<MQMessageExt> got = ReadBack(r->message_queue, r->queue_offset);
  ASSERT_EQ(got.size(), 1u);
  ExpectSame(got[0], m, *r);
  producer.Shutdown();
}

TEST_F(ProducerTest, SuccessiveSendsGetDistinctIdsAndRotateQueues) {
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  std::set<std::string> ids;
  std::set<int32_t> queues;
  for (int i = 0; i < 8; ++i) {
    Result<SendResult> r = producer.Send(Message("m" + std::to_string(i)));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ids.insert(r->msg_id);
    queues.insert(r->message_queue.queue_id);
  }
  EXPECT_EQ(ids.size(), 8u);
  EXPECT_EQ(queues.size(), 4u);
}

TEST_F(ProducerTest, AsyncSendCallsBackOnceAndIsStored) {
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  MQMessage m = Message("async body");
  std::promise<Result<SendResult>> done;
  std::atomic<int> calls{0};
  producer.SendAsync(m, [&](Result<SendResult> r) {
    if (calls.fetch_add(1) == 0) done.set_value(std::move(r));
  });
  Result<SendResult> r = done.get_future().get();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<MQMessageExt> got = ReadBack(r->message_queue, r->queue_offset);
  ASSERT_EQ(got.size(), 1u);
  ExpectSame(got[0], m, *r);
  producer.Shutdown();
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(ProducerTest, AsyncSendOfABadMessageReportsTheErrorOnce) {
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  int calls = 0;
  Status status;
  producer.SendAsync(Message(""), [&](Result<SendResult> r) {
    ++calls;
    status = r.status();
  });
  EXPECT_EQ(calls, 1);  // refused before anything went out, in this thread
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
}

TEST_F(ProducerTest, SendCallbackThatThrowsIsCaughtAndTheProducerKeepsServing) {
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  // These callbacks run on the client's io thread: without the catch, the first throw ends this
  // test process (std::terminate).
  std::atomic<int> calls{0};
  for (int i = 0; i < 3; ++i) {
    producer.SendAsync(Message("throwing callback " + std::to_string(i)),
                       [&calls, i](Result<SendResult>) {
                         ++calls;
                         if (i == 1) throw 7;  // not derived from std::exception
                         throw std::runtime_error("user callback fails");
                       });
  }
  ASSERT_TRUE(testing::WaitUntil([&] { return calls.load() == 3; }));
  // Refused before anything went out: the callback runs, and throws, in this thread.
  EXPECT_NO_THROW(producer.SendAsync(Message(""), [&](Result<SendResult>) {
    ++calls;
    throw std::runtime_error("user callback fails");
  }));
  EXPECT_EQ(calls.load(), 4);

  Result<SendResult> r = producer.Send(Message("sync after"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::promise<Result<SendResult>> done;
  producer.SendAsync(Message("async after"),
                     [&](Result<SendResult> result) { done.set_value(std::move(result)); });
  Result<SendResult> async = done.get_future().get();
  ASSERT_TRUE(async.ok()) << async.status().ToString();
  EXPECT_EQ(ReadBack(async->message_queue, async->queue_offset)[0].body, "async after");
  producer.Shutdown();  // returns: the sends whose callbacks threw are no longer in flight
}

TEST_F(ProducerTest, SelectorThatThrowsFailsOnlyThatSend) {
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  Result<SendResult> r = producer.Send(
      Message("x"), [](const std::vector<MessageQueue>&, const MQMessage&) -> MessageQueue {
        throw std::runtime_error("no queue for you");
      });
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("no queue for you"), std::string::npos)
      << r.status().ToString();
  EXPECT_TRUE(producer.Send(Message("next")).ok());
}

TEST_F(ProducerTest, RestartedProducerSendsAgainAndStoppedOneRefuses) {
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  EXPECT_EQ(producer.Start().code(), Status::Code::kAlreadyExists);
  ASSERT_TRUE(producer.Send(Message("first life")).ok());
  producer.Shutdown();
  EXPECT_EQ(producer.Send(Message("while stopped")).status().code(), Status::Code::kUnavailable);
  ASSERT_TRUE(producer.Start().ok());
  Result<SendResult> r = producer.Send(Message("second life"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ReadBack(r->message_queue, r->queue_offset)[0].body, "second life");
}

TEST_F(ProducerTest, OnewaySendIsStored) {
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  MessageQueue q{"TopicP", "broker-a", 0};
  // A oneway send returns no queue: look for the message in whichever queue holds one.
  MQMessage m = Message("oneway body");
  ASSERT_TRUE(producer.SendOneway(m).ok());
  bool found = false;
  EXPECT_TRUE(testing::WaitUntil([&] {
    for (int32_t qid = 0; qid < 4 && !found; ++qid) {
      q.queue_id = qid;
      Result<int64_t> max =
          reader_->GetMaxOffset(cluster_.BrokerAddr("broker-a"), "TopicP", qid, kTimeout);
      if (!max.ok() || *max == 0) continue;
      std::vector<MQMessageExt> got = ReadBack(q, 0);
      found = !got.empty() && got[0].body == "oneway body" && got[0].tags == "TagA" &&
              got[0].properties.at("color") == "blue";
    }
    return found;
  }));
}

TEST_F(ProducerTest, LargeBodiesAreCompressedAndReadBackWhole) {
  ProducerOptions o = Options();
  o.compress_msg_body_over_howmuch = 1000;
  Producer producer(o);
  ASSERT_TRUE(producer.Start().ok());
  std::string body;
  for (int i = 0; i < 2000; ++i) body += "line " + std::to_string(i) + "\n";
  MQMessage m = Message(body);
  Result<SendResult> r = producer.Send(m);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<MQMessageExt> got = ReadBack(r->message_queue, r->queue_offset);
  ASSERT_EQ(got.size(), 1u);
  ExpectSame(got[0], m, *r);
  // The broker stored the compressed bytes: far fewer than the body.
  EXPECT_LT(got[0].store_size, static_cast<int32_t>(body.size() / 2));
  Result<MessageExt> stored =
      cluster_.Broker("broker-a")->message_store().LookMessageByOffset(got[0].commit_log_offset);
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->sys_flag & sysflag::kCompressed);
}

TEST_F(ProducerTest, BatchIsStoredInOneQueueInOrder) {
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  std::vector<MQMessage> batch;
  for (int i = 0; i < 3; ++i) batch.push_back(Message("batch " + std::to_string(i)));
  batch[1].tags = "TagB";
  Result<SendResult> r = producer.Send(batch);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<MQMessageExt> got = ReadBack(r->message_queue, r->queue_offset, 3);
  ASSERT_EQ(got.size(), 3u);
  std::string ids;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(got[i].body, batch[i].body);
    EXPECT_EQ(got[i].tags, batch[i].tags);
    EXPECT_EQ(got[i].keys, batch[i].keys);
    EXPECT_EQ(got[i].properties.at("color"), "blue");
    EXPECT_EQ(got[i].queue_offset, r->queue_offset + i);
    ids += (i > 0 ? "," : "") + got[i].msg_id;
  }
  EXPECT_EQ(r->msg_id, ids);

  batch[2].topic = "Other";
  EXPECT_EQ(producer.Send(batch).status().code(), Status::Code::kInvalidArgument);
  batch[2].topic = "TopicP";
  batch[2].delay_time_level = 2;
  EXPECT_EQ(producer.Send(batch).status().code(), Status::Code::kInvalidArgument);
}

TEST_F(ProducerTest, ExplicitQueueAndSelectorSendsGoWhereAsked) {
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  Result<SendResult> r = producer.Send(Message("to q3"), MessageQueue{"TopicP", "broker-a", 3});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->message_queue.queue_id, 3);
  EXPECT_EQ(ReadBack(r->message_queue, r->queue_offset)[0].body, "to q3");

  Result<SendResult> s = producer.Send(
      Message("selected"),
      [](const std::vector<MessageQueue>& queues, const MQMessage&) { return queues.at(1); });
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->message_queue.queue_id, 1);

  EXPECT_EQ(producer.Send(Message("x"), MessageQueue{"Other", "broker-a", 0}).status().code(),
            Status::Code::kInvalidArgument);
  Result<std::vector<MessageQueue>> queues = producer.FetchPublishMessageQueues("TopicP");
  ASSERT_TRUE(queues.ok());
  EXPECT_EQ(queues->size(), 4u);
}

TEST_F(ProducerTest, BadMessagesAreRefusedWithTheReason) {
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  MQMessage empty = Message("");
  Result<SendResult> r = producer.Send(empty);
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("empty"), std::string::npos);

  MQMessage bad_topic = Message("x");
  bad_topic.topic = "bad topic!";
  EXPECT_EQ(producer.Send(bad_topic).status().code(), Status::Code::kInvalidArgument);

  MQMessage reserved = Message("x");
  reserved.properties["UNIQ_KEY"] = "mine";
  r = producer.Send(reserved);
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("UNIQ_KEY"), std::string::npos);

  ProducerOptions small = Options("small");
  small.max_message_size = 10;
  Producer small_producer(small);
  ASSERT_TRUE(small_producer.Start().ok());
  r = small_producer.Send(Message("more than ten bytes"));
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("maximum"), std::string::npos);

  Producer no_group([&] {
    ProducerOptions o = Options("ng");
    o.group = "";
    return o;
  }());
  EXPECT_EQ(no_group.Start().code(), Status::Code::kInvalidArgument);
}

TEST_F(ProducerTest, TimersBeyondTheBrokersMaxAreRefusedWithTheReason) {
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  const int64_t stored_before = cluster_.Broker("broker-a")->message_store().GetMaxPhyOffset();
  // Four days, beyond timerMaxDelaySec (3 days), in each form the producer offers.
  MQMessage timed = Message("in four days");
  timed.properties["TIMER_DELAY_SEC"] = "345600";
  Result<SendResult> r = producer.Send(timed);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);  // not retried
  EXPECT_NE(r.status().message().find("MESSAGE_ILLEGAL(13)"), std::string::npos)
      << r.status().ToString();
  EXPECT_NE(r.status().message().find("TIMER_DELAY_SEC=345600"), std::string::npos)
      << r.status().ToString();

  // The delivery-time fields travel as RocketMQ 5's timer properties.
  MQMessage at = Message("at");
  at.deliver_time_ms = 1'900'000'000'000;  // 2030
  r = producer.Send(at);
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("TIMER_DELIVER_MS=1900000000000"), std::string::npos)
      << r.status().ToString();
  MQMessage after = Message("after");
  after.delay_ms = 4LL * 86400 * 1000;
  r = producer.Send(after);
  EXPECT_NE(r.status().message().find("TIMER_DELAY_MS=345600000"), std::string::npos)
      << r.status().ToString();

  std::promise<Result<SendResult>> done;
  producer.SendAsync(timed, [&](Result<SendResult> result) { done.set_value(std::move(result)); });
  Result<SendResult> async = done.get_future().get();
  EXPECT_EQ(async.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(async.status().message().find("TIMER_DELAY_SEC=345600"), std::string::npos);

  EXPECT_EQ(cluster_.Broker("broker-a")->message_store().GetMaxPhyOffset(), stored_before);
  // Within the limit the broker takes it.
  MQMessage soon = Message("soon");
  soon.delay_ms = 1500;
  r = producer.Send(soon);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->send_status, SendStatus::kSendOk);
}

TEST_F(ProducerTest, AmbiguousOrNegativeDelaysAreRefusedBeforeSending) {
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  MQMessage both = Message("both");
  both.delay_time_level = 2;
  both.deliver_time_ms = 1'900'000'000'000;
  Result<SendResult> r = producer.Send(both);
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("more than one of"), std::string::npos)
      << r.status().ToString();
  MQMessage negative = Message("negative");
  negative.delay_ms = -1;
  EXPECT_EQ(producer.Send(negative).status().code(), Status::Code::kInvalidArgument);
  std::vector<MQMessage> batch = {Message("b0"), Message("b1")};
  batch[1].delay_ms = 1000;
  r = producer.Send(batch);
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("a batch cannot hold delayed"), std::string::npos);
}

TEST_F(ProducerTest, NewTopicUsesTheCreateTopicKeyRoute) {
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  MQMessage m = Message("auto created");
  m.topic = "BrandNewTopic";
  Result<SendResult> r = producer.Send(m);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_LT(r->message_queue.queue_id, 4);  // default_topic_queue_nums
  EXPECT_EQ(ReadBack(r->message_queue, r->queue_offset)[0].body, "auto created");
}

TEST_F(ProducerTest, ReadOnlyTopicIsNotFoundWithoutAutoCreate) {
  broker::BrokerController* b = cluster_.Broker("broker-a");
  ASSERT_TRUE(
      b->topic_config_manager()
          .UpdateTopicConfig(protocol::TopicConfig("ReadOnlyTopic", 4, 4, protocol::kPermRead))
          .ok());
  ASSERT_TRUE(b->RegisterBrokerAll().ok());
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  MQMessage m = Message("x");
  m.topic = "ReadOnlyTopic";
  Result<SendResult> r = producer.Send(m);
  EXPECT_TRUE(r.status().IsNotFound()) << r.status().ToString();
  EXPECT_NE(r.status().message().find("no writable queue"), std::string::npos);
}

TEST_F(ProducerTest, DeadFirstNameServerDoesNotStopSends) {
  ProducerOptions o = Options();
  o.client.namesrv_addr =
      "127.0.0.1:" + std::to_string(FreeLoopbackPort().value()) + ";" + cluster_.NamesrvAddr();
  Producer producer(o);
  ASSERT_TRUE(producer.Start().ok());
  Result<SendResult> r = producer.Send(Message("via second name server"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ReadBack(r->message_queue, r->queue_offset)[0].body, "via second name server");
}

TEST_F(ProducerTest, SendsMoveToTheSecondBrokerWhenTheFirstIsDown) {
  cluster_.StartBroker("broker-b");
  cluster_.CreateTopic("TopicP", 4);
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  std::set<std::string> brokers;
  for (int i = 0; i < 8; ++i) {
    Result<SendResult> r = producer.Send(Message("warm"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    brokers.insert(r->message_queue.broker_name);
  }
  ASSERT_EQ(brokers.size(), 2u);  // the cached route lists both brokers
  cluster_.StopBroker("broker-a");
  for (int i = 0; i < 8; ++i) {
    MQMessage m = Message("after a died " + std::to_string(i));
    Result<SendResult> r = producer.Send(m);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->message_queue.broker_name, "broker-b");
    EXPECT_EQ(ReadBack(r->message_queue, r->queue_offset)[0].body, m.body);
  }
}

TEST_F(ProducerTest, AsyncSendMovesToTheSecondBrokerWhenTheFirstIsDown) {
  cluster_.StartBroker("broker-b");
  cluster_.CreateTopic("TopicP", 4);
  Producer producer(Options());
  ASSERT_TRUE(producer.Start().ok());
  ASSERT_TRUE(producer.Send(Message("warm")).ok());
  cluster_.StopBroker("broker-a");
  for (int i = 0; i < 4; ++i) {
    std::promise<Result<SendResult>> done;
    producer.SendAsync(Message("async " + std::to_string(i)),
                       [&](Result<SendResult> r) { done.set_value(std::move(r)); });
    Result<SendResult> r = done.get_future().get();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->message_queue.broker_name, "broker-b");
  }
}

// A broker that answers every send with one response code, registered with the name server as
// "broker-fake" for TopicP, so the producer's retry rules can be watched.
class FakeBroker {
 public:
  FakeBroker(namesrv::NamesrvController& namesrv, int32_t code) : server_(Options()) {
    server_.RegisterProcessor(
        remoting::RequestCode::SEND_MESSAGE_V2,
        [this, code](const remoting::RemotingCommand& request, remoting::ResponseWriter writer) {
          ++sends;
          auto response = remoting::RemotingCommand::CreateResponse(request, code, "fake says no");
          response.SetExtField("msgId", "FAKEOFFSETMSGID");
          response.SetExtField("queueId", *request.FindExtField("e"));
          response.SetExtField("queueOffset", "0");
          (void)writer.Write(std::move(response));
        });
    EXPECT_TRUE(server_.Start().ok());
    namesrv::RegisterBrokerRequest reg;
    reg.cluster_name = "DefaultCluster";
    reg.broker_addr = "127.0.0.1:" + std::to_string(server_.port());
    reg.broker_name = "broker-fake";
    reg.ha_server_addr = "127.0.0.1:1";
    reg.topic_configs.push_back(protocol::TopicConfig("TopicP", 4, 4, 6));
    namesrv.route_info_manager().RegisterBroker(reg);
  }
  ~FakeBroker() { server_.Shutdown(); }

  static remoting::RemotingServerOptions Options() {
    remoting::RemotingServerOptions o;
    o.host = "127.0.0.1";
    return o;
  }

  std::atomic<int> sends{0};

 private:
  remoting::RemotingServer server_;
};

TEST_F(ProducerTest, NotStoredOkStatusIsReturnedUnlessRetryAnotherBroker) {
  FakeBroker fake(cluster_.namesrv(), remoting::ResponseCode::FLUSH_DISK_TIMEOUT);
  {
    Producer producer(Options("plain"));
    ASSERT_TRUE(producer.Start().ok());
    int flush_timeouts = 0;
    for (int i = 0; i < 8; ++i) {
      Result<SendResult> r = producer.Send(Message("m"));
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      if (r->send_status == SendStatus::kFlushDiskTimeout) {
        ++flush_timeouts;
        EXPECT_EQ(r->message_queue.broker_name, "broker-fake");
      }
    }
    EXPECT_GT(flush_timeouts, 0);  // round robin reached the fake broker and kept its answer
    EXPECT_EQ(fake.sends.load(), flush_timeouts);
  }
  ProducerOptions o = Options("retrying");
  o.retry_another_broker_when_not_store_ok = true;
  Producer producer(o);
  ASSERT_TRUE(producer.Start().ok());
  const int before = fake.sends.load();
  for (int i = 0; i < 8; ++i) {
    Result<SendResult> r = producer.Send(Message("m"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->send_status, SendStatus::kSendOk);
    EXPECT_EQ(r->message_queue.broker_name, "broker-a");
  }
  EXPECT_GT(fake.sends.load(), before);
}

TEST_F(ProducerTest, RetryableBrokerCodesMoveOnAndOthersFailAtOnce) {
  {
    FakeBroker busy(cluster_.namesrv(), remoting::ResponseCode::SYSTEM_BUSY);
    Producer producer(Options("busy"));
    ASSERT_TRUE(producer.Start().ok());
    for (int i = 0; i < 8; ++i) {
      Result<SendResult> r = producer.Send(Message("m"));
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r->message_queue.broker_name, "broker-a");
    }
    EXPECT_GT(busy.sends.load(), 0);
  }
  FakeBroker illegal(cluster_.namesrv(), remoting::ResponseCode::MESSAGE_ILLEGAL);
  Producer producer(Options("illegal"));
  ASSERT_TRUE(producer.Start().ok());
  int failures = 0;
  for (int i = 0; i < 8; ++i) {
    Result<SendResult> r = producer.Send(Message("m"));
    if (!r.ok()) {
      ++failures;
      EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
      EXPECT_NE(r.status().message().find("MESSAGE_ILLEGAL(13): fake says no"), std::string::npos)
          << r.status().ToString();
    }
  }
  EXPECT_GT(failures, 0);
  EXPECT_EQ(illegal.sends.load(), failures);  // each failed at its first answer, no retry
}

TEST(SendStatusNameTest, RocketMQNames) {
  EXPECT_STREQ(SendStatusName(SendStatus::kSendOk), "SEND_OK");
  EXPECT_STREQ(SendStatusName(SendStatus::kFlushDiskTimeout), "FLUSH_DISK_TIMEOUT");
  EXPECT_STREQ(SendStatusName(SendStatus::kFlushSlaveTimeout), "FLUSH_SLAVE_TIMEOUT");
  EXPECT_STREQ(SendStatusName(SendStatus::kSlaveNotAvailable), "SLAVE_NOT_AVAILABLE");
}

}  // namespace
}  // namespace holdfast
