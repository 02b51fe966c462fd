// BrokerController over real TCP on 127.0.0.1 (BrokerFixture: a real NamesrvController, a broker
// with its store in a TempDir, and a RemotingClient playing the RocketMQ producer). Every wait
// polls a condition with a deadline; nothing sleeps to synchronise.
#include "broker/broker_controller.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "broker/broker_test_fixture.h"
#include "broker/message_id.h"
#include "common/clock.h"
#include "common/local_address.h"
#include "common/message_codec.h"
#include "remoting/protocol/message_batch.h"
#include "remoting/protocol/mq_version.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"
#include "tests/support/fault_file_system.h"
#include "tests/support/raw_peer.h"
#include "tests/support/send_message_request.h"
#include "tests/support/wait_until.h"

namespace holdfast::broker {
namespace {

using holdfast::testing::WaitUntil;
using protocol::BatchMessage;
using protocol::EncodeBatchBody;
using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, sep);) out.push_back(part);
  return out;
}

// A property string as the Java client writes it.
std::string JavaProperties(const std::string& uniq_key, const std::string& keys,
                           const std::string& tags) {
  return EncodeProperties(
      {{"UNIQ_KEY", uniq_key}, {"KEYS", keys}, {"TAGS", tags}, {"WAIT", "true"}});
}

class BrokerControllerTest : public BrokerFixture {
 protected:
  RemotingCommand SendV2(const std::string& topic, int32_t queue_id, const std::string& body,
                         const std::string& properties, bool batch = false) {
    return Invoke(testing::SendMessageV2Request(topic, queue_id, body, properties, batch));
  }

  // Checks a stored-message response and returns its offsetMsgIds decoded.
  std::vector<OffsetMsgId> CheckStored(const RemotingCommand& r) {
    std::vector<OffsetMsgId> ids;
    EXPECT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
    EXPECT_EQ(r.version, protocol::kCurrentVersion);
    EXPECT_FALSE(r.remark.has_value());
    for (const char* key : {"msgId", "queueId", "queueOffset", "MSG_REGION", "TRACE_ON"}) {
      EXPECT_NE(r.FindExtField(key), nullptr) << key;
    }
    if (r.code != ResponseCode::SUCCESS || r.FindExtField("msgId") == nullptr) return ids;
    EXPECT_EQ(*r.FindExtField("MSG_REGION"), "DefaultRegion");
    EXPECT_EQ(*r.FindExtField("TRACE_ON"), "true");
    for (const std::string& id : Split(*r.FindExtField("msgId"), ',')) {
      Result<OffsetMsgId> decoded = DecodeOffsetMsgId(id);
      EXPECT_TRUE(decoded.ok()) << id;
      if (!decoded.ok()) continue;
      EXPECT_EQ(decoded->store_host.ToString(), BrokerAddr());
      ids.push_back(*decoded);
    }
    return ids;
  }
};

TEST_F(BrokerControllerTest, StartsAndRegistersWithTheNameServer) {
  EXPECT_EQ(broker_->broker_addr(), BrokerAddr());
  // TBW102 is a registered topic when autoCreateTopicEnable is on; its route names the broker.
  std::map<std::string, std::string> addrs = RouteAddrs("TBW102");
  ASSERT_EQ(addrs.size(), 1u);
  EXPECT_EQ(addrs["0"], BrokerAddr());

  // UNREGISTER_BROKER at shutdown removes it at once.
  broker_->Shutdown();
  EXPECT_TRUE(RouteAddrs("TBW102").empty());
}

TEST_F(BrokerControllerTest, SendV2AsTheJavaClientDoesAndAutoCreatesTheTopic) {
  const std::string uniq = "7F0000010A2B18B4AAC2123456780001";
  const std::string body = "hello holdfast";
  RemotingCommand r = SendV2("TopicA", -1, body, JavaProperties(uniq, "k1 k2", "TagA"));
  std::vector<OffsetMsgId> ids = CheckStored(r);
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(*r.FindExtField("transactionId"), uniq);
  EXPECT_EQ(*r.FindExtField("queueOffset"), "0");
  const int32_t queue_id = std::stoi(*r.FindExtField("queueId"));
  EXPECT_GE(queue_id, 0);
  EXPECT_LT(queue_id, 4);  // min(d=4, TBW102's 8)

  Result<MessageExt> stored =
      broker_->message_store().LookMessageByOffset(ids[0].commit_log_offset);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->body, body);
  EXPECT_EQ(stored->topic, "TopicA");
  EXPECT_EQ(stored->queue_id, queue_id);
  EXPECT_EQ(stored->commit_log_offset, ids[0].commit_log_offset);
  EXPECT_EQ(FindProperty(stored->properties, "UNIQ_KEY"), uniq);
  EXPECT_EQ(FindProperty(stored->properties, "KEYS"), "k1 k2");
  EXPECT_EQ(FindProperty(stored->properties, "TAGS"), "TagA");
  EXPECT_EQ(FindProperty(stored->properties, "CLUSTER"), "DefaultCluster");
  EXPECT_EQ(stored->store_host.ToString(), BrokerAddr());
  EXPECT_EQ(stored->born_host.ip[0], 127);

  // The auto-created topic reaches the name server.
  EXPECT_TRUE(WaitUntil([&] { return RouteAddrs("TopicA").count("0") == 1; }));
  EXPECT_EQ(RouteAddrs("TopicA")["0"], BrokerAddr());
}

TEST_F(BrokerControllerTest, SendV1LongNamesWithNumbersAsText) {
  RemotingCommand req = RemotingCommand::CreateRequest(RequestCode::SEND_MESSAGE);
  req.SetExtField("producerGroup", "PG");
  req.SetExtField("topic", "TopicV1");
  req.SetExtField("defaultTopic", "TBW102");
  req.SetExtField("defaultTopicQueueNums", "4");
  req.SetExtField("queueId", "2");
  req.SetExtField("sysFlag", "0");
  req.SetExtField("bornTimestamp", std::to_string(NowMillis()));
  req.SetExtField("flag", "7");
  req.SetExtField("properties", JavaProperties("AB00000000000000000000000000CDEF", "k", "t"));
  req.body = "v1 body";
  RemotingCommand r = Invoke(std::move(req), BrokerAddr());
  std::vector<OffsetMsgId> ids = CheckStored(r);
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(*r.FindExtField("queueId"), "2");
  Result<MessageExt> stored =
      broker_->message_store().LookMessageByOffset(ids[0].commit_log_offset);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->body, "v1 body");
  EXPECT_EQ(stored->flag, 7);
  EXPECT_EQ(stored->queue_id, 2);
}

TEST_F(BrokerControllerTest, BatchStoresConsecutiveMessages) {
  std::vector<BatchMessage> batch;
  for (int i = 0; i < 3; ++i) {
    batch.push_back({.flag = i,
                     .body = "batch body " + std::to_string(i),
                     .properties = JavaProperties("UNIQ" + std::to_string(i), "", "T")});
  }
  RemotingCommand r = SendV2("TopicBatch", 1, EncodeBatchBody(batch), "", /*batch=*/true);
  std::vector<OffsetMsgId> ids = CheckStored(r);
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(*r.FindExtField("queueId"), "1");
  EXPECT_EQ(*r.FindExtField("queueOffset"), "0");
  for (int i = 0; i < 3; ++i) {
    Result<MessageExt> m = broker_->message_store().LookMessageByOffset(ids[i].commit_log_offset);
    ASSERT_TRUE(m.ok()) << i;
    EXPECT_EQ(m->body, batch[i].body);
    EXPECT_EQ(m->flag, i);
    EXPECT_EQ(m->queue_offset, i);
    EXPECT_EQ(FindProperty(m->properties, "UNIQ_KEY"), "UNIQ" + std::to_string(i));
    if (i < 2) {
      EXPECT_EQ(ids[i + 1].commit_log_offset, ids[i].commit_log_offset + m->store_size);
    }
  }
}

class BrokerWithoutAutoCreateTopicTest : public BrokerControllerTest {
 protected:
  void Configure(BrokerConfig* c) override { c->auto_create_topic_enable = false; }
};

TEST_F(BrokerWithoutAutoCreateTopicTest, UnknownTopicIsTopicNotExist) {
  RemotingCommand r = SendV2("NoSuchTopic", -1, "x", JavaProperties("U1", "", ""));
  EXPECT_EQ(r.code, ResponseCode::TOPIC_NOT_EXIST);
  EXPECT_NE(r.remark.value_or("").find("NoSuchTopic"), std::string::npos);
  EXPECT_EQ(r.version, protocol::kCurrentVersion);
}

TEST_F(BrokerControllerTest, RejectedSends) {
  RemotingCommand oversize = SendV2("TopicA", 0, std::string(1025, 'x'), "");
  EXPECT_EQ(oversize.code, ResponseCode::MESSAGE_ILLEGAL);
  EXPECT_NE(oversize.remark.value_or("").find("1024"), std::string::npos);

  EXPECT_EQ(SendV2("bad topic!", 0, "x", "").code, ResponseCode::INVALID_PARAMETER);
  EXPECT_EQ(SendV2("SCHEDULE_TOPIC_XXXX", 0, "x", "").code, ResponseCode::NO_PERMISSION);
  EXPECT_EQ(SendV2("TopicQ", 4, "x", "").code, ResponseCode::INVALID_PARAMETER);  // 4 queues
  EXPECT_EQ(SendV2("TopicQ", 3, "x", "").code, ResponseCode::SUCCESS);

  RemotingCommand missing = RemotingCommand::CreateRequest(RequestCode::SEND_MESSAGE_V2);
  missing.SetExtField("b", "TopicQ");
  RemotingCommand r = Invoke(std::move(missing), BrokerAddr());
  EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR);
  EXPECT_NE(r.remark.value_or("").find("the custom field <a> is null"), std::string::npos);
}

TEST_F(BrokerControllerTest, TransactionalAndTimedSendsAreRefusedAndNothingIsStored) {
  const int64_t stored_before = broker_->message_store().GetMaxPhyOffset();
  auto with = [](const std::string& key, const std::string& value) {
    return EncodeProperties({{"UNIQ_KEY", "U1"}, {"WAIT", "true"}, {key, value}});
  };

  RemotingCommand tran = SendV2("TopicRefused", -1, "x", with("TRAN_MSG", "true"));
  EXPECT_EQ(tran.code, ResponseCode::NO_PERMISSION);
  EXPECT_EQ(tran.version, protocol::kCurrentVersion);
  EXPECT_NE(tran.remark.value_or("").find("TRAN_MSG=true"), std::string::npos)
      << tran.remark.value_or("");
  EXPECT_NE(tran.remark.value_or("").find("not support"), std::string::npos);

  RemotingCommand prepared_request =
      testing::SendMessageV2Request("TopicRefused", -1, "x", with("KEYS", "k"));
  prepared_request.SetExtField("f", std::to_string(sysflag::kTransactionPreparedType));
  RemotingCommand prepared = Invoke(std::move(prepared_request));
  EXPECT_EQ(prepared.code, ResponseCode::NO_PERMISSION);
  EXPECT_NE(prepared.remark.value_or("").find("PREPARED"), std::string::npos);

  // A timer more than timerMaxDelaySec (3 days) ahead, or not a number.
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"TIMER_DELAY_SEC", "345600"},
           {"TIMER_DELIVER_MS", std::to_string(NowMillis() + 4LL * 86400 * 1000)},
           {"TIMER_DELAY_MS", "soon"},
           {"__STARTDELIVERTIME", "tomorrow"}}) {
    RemotingCommand timed = SendV2("TopicRefused", -1, "x", with(key, value));
    EXPECT_EQ(timed.code, ResponseCode::MESSAGE_ILLEGAL) << key;
    EXPECT_NE(timed.remark.value_or("").find(key + "=" + value), std::string::npos)
        << timed.remark.value_or("");
  }

  // A batch is refused whole when one of its messages is transactional.
  for (const auto& [key, value, code] : {std::tuple<std::string, std::string, int32_t>{
           "TRAN_MSG", "true", ResponseCode::NO_PERMISSION}}) {
    std::vector<BatchMessage> batch = {{.flag = 0, .body = "b0", .properties = with("KEYS", "k")},
                                       {.flag = 0, .body = "b1", .properties = with(key, value)}};
    RemotingCommand r = SendV2("TopicRefused", 0, EncodeBatchBody(batch), "", /*batch=*/true);
    EXPECT_EQ(r.code, code) << key;
    EXPECT_NE(r.remark.value_or("").find("message 1 of the batch"), std::string::npos)
        << r.remark.value_or("");
    EXPECT_NE(r.remark.value_or("").find(key + "=" + value), std::string::npos);
  }

  EXPECT_EQ(broker_->message_store().GetMaxPhyOffset(), stored_before);
  EXPECT_FALSE(broker_->topic_config_manager().SelectTopicConfig("TopicRefused").has_value());
  // The same message without the property is stored.
  CheckStored(SendV2("TopicRefused", -1, "x", with("DELAY", "0")));
  // A delay level is taken (the store delays it); in a batch the store refuses it.
  EXPECT_EQ(SendV2("TopicDelayed", -1, "x", with("DELAY", "3")).code, ResponseCode::SUCCESS);
  std::vector<BatchMessage> batch = {{.flag = 0, .body = "b0", .properties = with("KEYS", "k")},
                                     {.flag = 0, .body = "b1", .properties = with("DELAY", "2")}};
  RemotingCommand r = SendV2("TopicDelayed", 0, EncodeBatchBody(batch), "", /*batch=*/true);
  EXPECT_EQ(r.code, ResponseCode::MESSAGE_ILLEGAL);
  EXPECT_NE(r.remark.value_or("").find("a batch cannot be delayed"), std::string::npos)
      << r.remark.value_or("");
}

// A consumer's retry from a RocketMQ client before 4.6.1: TRAN_MSG=true and the PREPARED sysFlag
// kept from a transactional original, reconsumeTimes > 0 and a DELAY level. Not a transaction: it
// is taken, stored as a plain delayed message and reaches its queue once due (a PREPARED record
// would never get a consume-queue entry, an acknowledged send never delivered).
TEST_F(BrokerControllerTest, OldClientsPreparedRetryIsDeliveredAsADelayedMessage) {
  RemotingCommand request = testing::SendMessageV2Request(
      "TopicOldRetry", 0, "retry",
      EncodeProperties({{"UNIQ_KEY", "OLD1"}, {"TRAN_MSG", "true"}, {"DELAY", "1"}}));
  request.SetExtField("f", std::to_string(sysflag::kTransactionPreparedType));
  request.SetExtField("j", "1");
  CheckStored(Invoke(std::move(request)));
  store::MessageStore& store = broker_->message_store();
  ASSERT_TRUE(holdfast::testing::WaitUntil(
      [&] { return store.GetMaxOffsetInQueue("TopicOldRetry", 0) == 1; },
      std::chrono::seconds(15)));
  store::GetMessageResult got = store.GetMessage("TopicOldRetry", 0, 0, 1);
  ASSERT_EQ(got.messages.size(), 1u);
  auto v = DecodeStoredRecord(got.messages[0], true);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(sysflag::TransactionValue(v->sys_flag), sysflag::kTransactionNotType);
  EXPECT_EQ(v->reconsume_times, 1);
}

TEST_F(BrokerControllerTest, TimerMessagesArriveWhenDueAndNotBefore) {
  ASSERT_NE(broker_->timer_message_store(), nullptr);
  const int64_t sent = NowMillis();
  const int64_t start_deliver = sent + 2000;
  CheckStored(SendV2("TopicTimer", 0, "in two seconds",
                     EncodeProperties({{"UNIQ_KEY", "T1"}, {"TIMER_DELAY_SEC", "2"}})));
  CheckStored(SendV2("TopicTimer", 0, "ons start time",
                     EncodeProperties({{"UNIQ_KEY", "T2"},
                                       {"__STARTDELIVERTIME", std::to_string(start_deliver)}})));
  store::MessageStore& store = broker_->message_store();
  EXPECT_EQ(store.GetMaxOffsetInQueue("TopicTimer", 0), 0) << "held by the timer store";
  ASSERT_TRUE(holdfast::testing::WaitUntil(
      [&] { return store.GetMaxOffsetInQueue("TopicTimer", 0) == 2; }, std::chrono::seconds(15)));
  store::GetMessageResult got = store.GetMessage("TopicTimer", 0, 0, 2);
  ASSERT_EQ(got.messages.size(), 2u);
  for (const std::string& record : got.messages) {
    auto v = DecodeStoredRecord(record, true);
    ASSERT_TRUE(v.ok());
    // Never early; late by about a second (the wheel's slot) plus the re-put. The upper bound is
    // loose for a loaded CI machine: this checks delivery, the benchmark measures lateness.
    EXPECT_GE(v->store_timestamp, sent + 2000) << v->body;
    EXPECT_LE(v->store_timestamp, sent + 2000 + 6000) << v->body;
    EXPECT_FALSE(FindProperty(v->properties, "TIMER_DELAY_SEC"));
    EXPECT_FALSE(FindProperty(v->properties, "__STARTDELIVERTIME"));
    EXPECT_TRUE(FindProperty(v->properties, "UNIQ_KEY"));
  }
  // A 4-day timer is refused whole, naming the property and the limit.
  RemotingCommand far = SendV2(
      "TopicTimer", 0, "x", EncodeProperties({{"UNIQ_KEY", "T3"}, {"TIMER_DELAY_SEC", "345600"}}));
  EXPECT_EQ(far.code, ResponseCode::MESSAGE_ILLEGAL);
  EXPECT_NE(far.remark.value_or("").find("timerMaxDelaySec 259200"), std::string::npos)
      << far.remark.value_or("");
}

// The fixture binds 127.0.0.1; brokerIP1 is left to default to it.
class LoopbackBoundBrokerTest : public BrokerControllerTest {
 protected:
  void Configure(BrokerConfig* c) override { c->broker_ip1.clear(); }
};

TEST_F(LoopbackBoundBrokerTest, ListensOnlyOnItsBindAddressAndRegistersIt) {
  EXPECT_EQ(broker_->broker_addr(), BrokerAddr());  // brokerIP1 defaults to bindAddress
  EXPECT_EQ(RouteAddrs("TBW102")["0"], BrokerAddr());
  EXPECT_TRUE(testing::RawPeer("127.0.0.1", broker_->port()).connected());
  // Every 127.x address reaches this host (WildcardBoundBrokerTest shows it), but not this broker.
  EXPECT_FALSE(testing::RawPeer("127.0.0.2", broker_->port()).connected());
  const std::string other = PickLocalIpv4();
  if (other != "127.0.0.1") {
    EXPECT_FALSE(testing::RawPeer(other, broker_->port()).connected()) << other;
  }
}

class WildcardBoundBrokerTest : public BrokerControllerTest {
 protected:
  void Configure(BrokerConfig* c) override { c->bind_address = "0.0.0.0"; }
};

TEST_F(WildcardBoundBrokerTest, ListensOnEveryLocalAddress) {
  EXPECT_EQ(broker_->broker_addr(), BrokerAddr());  // an explicit brokerIP1 is kept
  EXPECT_TRUE(testing::RawPeer("127.0.0.1", broker_->port()).connected());
  EXPECT_TRUE(testing::RawPeer("127.0.0.2", broker_->port()).connected());
}

class SyncFlushBrokerTest : public BrokerControllerTest {
 protected:
  void Configure(BrokerConfig* c) override {
    c->store.flush_disk_type = store::FlushDiskType::kSyncFlush;
  }
};

TEST_F(SyncFlushBrokerTest, AnswersOnlyWhenDurable) {
  for (int i = 0; i < 5; ++i) {
    RemotingCommand r = SendV2("TopicSync", 0, "durable " + std::to_string(i),
                               JavaProperties("S" + std::to_string(i), "", ""));
    const int64_t flushed_at_response = broker_->message_store().GetFlushedPhyOffset();
    std::vector<OffsetMsgId> ids = CheckStored(r);
    ASSERT_EQ(ids.size(), 1u);
    Result<MessageExt> m = broker_->message_store().LookMessageByOffset(ids[0].commit_log_offset);
    ASSERT_TRUE(m.ok());
    EXPECT_GE(flushed_at_response, ids[0].commit_log_offset + m->store_size);
  }
}

// A SYNC_FLUSH broker whose store writes through a fault-injecting file system.
class FailingDiskBrokerTest : public SyncFlushBrokerTest {
 protected:
  void Configure(BrokerConfig* c) override {
    SyncFlushBrokerTest::Configure(c);
    c->store.sync_flush_timeout = 200;
    fs_ = &fault_fs_;
  }
  void TearDown() override {
    SyncFlushBrokerTest::TearDown();
    broker_.reset();  // before the file system it uses
  }

  // GET_BROKER_RUNTIME_INFO's table.
  std::map<std::string, std::string> RuntimeInfo() {
    RemotingCommand r = Call(RequestCode::GET_BROKER_RUNTIME_INFO, {});
    EXPECT_EQ(r.code, ResponseCode::SUCCESS);
    return nlohmann::json::parse(r.body)["table"].get<std::map<std::string, std::string>>();
  }

  holdfast::testing::FaultInjectionFileSystem fault_fs_;
};

TEST_F(FailingDiskBrokerTest, AFailedSyncIsSystemErrorWithTheCauseAndASlowOneFlushDiskTimeout) {
  CheckStored(SendV2("TopicF", 0, "ok", JavaProperties("F0", "", "")));
  EXPECT_EQ(RuntimeInfo()["storeStatus"], "OK");

  // A sync still running at syncFlushTimeout: stored, durability not confirmed in time.
  fault_fs_.SetSyncDelay(std::chrono::milliseconds(600));
  RemotingCommand slow = SendV2("TopicF", 0, "slow", JavaProperties("F1", "", ""));
  EXPECT_EQ(slow.code, ResponseCode::FLUSH_DISK_TIMEOUT) << slow.remark.value_or("");
  EXPECT_NE(slow.FindExtField("msgId"), nullptr);
  fault_fs_.SetSyncDelay(std::chrono::milliseconds(0));

  // A sync that fails: an error with its cause, never a send status.
  fault_fs_.FailSyncs(Status::IoError("injected EIO on fdatasync"), "/commitlog/");
  RemotingCommand failed = SendV2("TopicF", 0, "lost?", JavaProperties("F2", "", ""));
  EXPECT_EQ(failed.code, ResponseCode::SYSTEM_ERROR);
  EXPECT_NE(failed.remark.value_or("").find("injected EIO on fdatasync"), std::string::npos)
      << failed.remark.value_or("");
  EXPECT_EQ(failed.FindExtField("msgId"), nullptr);
  EXPECT_NE(RuntimeInfo()["storeStatus"].find("injected EIO on fdatasync"), std::string::npos);

  // Sticky: the disk "works" again, but the store accepts nothing until it is restarted.
  fault_fs_.ClearFaults();
  RemotingCommand after = SendV2("TopicF", 0, "after", JavaProperties("F3", "", ""));
  EXPECT_EQ(after.code, ResponseCode::SERVICE_NOT_AVAILABLE);
}

TEST(SendResponseCodeForTest, OnlyStoredStatusesAreSendStatuses) {
  using store::PutMessageStatus;
  EXPECT_EQ(SendResponseCodeFor(PutMessageStatus::kPutOk), ResponseCode::SUCCESS);
  EXPECT_EQ(SendResponseCodeFor(PutMessageStatus::kFlushDiskTimeout),
            ResponseCode::FLUSH_DISK_TIMEOUT);
  EXPECT_EQ(SendResponseCodeFor(PutMessageStatus::kFlushDiskFailed), ResponseCode::SYSTEM_ERROR);
  EXPECT_EQ(SendResponseCodeFor(PutMessageStatus::kServiceNotAvailable),
            ResponseCode::SERVICE_NOT_AVAILABLE);
}

TEST(MessageIdTest, OffsetMsgIdRoundTrip) {
  HostAddress host = HostAddress::Ipv4(10, 1, 2, 3, 10911);
  std::string id = CreateOffsetMsgId(host, 0x123456789AB);
  EXPECT_EQ(id, "0A01020300002A9F00000123456789AB");
  Result<OffsetMsgId> back = DecodeOffsetMsgId(id);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->store_host, host);
  EXPECT_EQ(back->commit_log_offset, 0x123456789AB);
  EXPECT_FALSE(DecodeOffsetMsgId("XYZ").ok());
  EXPECT_EQ(CreateUniqId(host).size(), 32u);
}

}  // namespace
}  // namespace holdfast::broker
