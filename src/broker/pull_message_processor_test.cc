// PullMessageProcessor, PullRequestHoldService and ConsumerManageProcessor over real TCP on
// 127.0.0.1 (BrokerFixture: a name server, a broker with its store in a TempDir, and a
// RemotingClient playing the consumer). Waits are futures with deadlines; nothing sleeps.
#include "broker/pull_message_processor.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <map>
#include <string>
#include <vector>

#include "broker/broker_test_fixture.h"
#include "common/clock.h"
#include "common/message_codec.h"
#include "remoting/protocol/mq_version.h"
#include "remoting/protocol/pull_sys_flag.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"
#include "tests/support/fault_file_system.h"
#include "tests/support/heartbeat_request.h"
#include "tests/support/wait_until.h"

namespace holdfast::broker {
namespace {

using namespace std::chrono_literals;
using protocol::kPullFlagCommitOffset;
using protocol::kPullFlagSubscription;
using protocol::kPullFlagSuspend;
using protocol::SubscriptionGroupConfig;
using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;

constexpr auto kTimeout = 5s;
constexpr char kTopic[] = "PullTopic";
constexpr char kGroup[] = "PullGroup";

TEST(PullResponseCodeForTest, SheetTable) {
  using store::GetMessageStatus;
  EXPECT_EQ(PullResponseCodeFor(GetMessageStatus::kFound, 0), ResponseCode::SUCCESS);
  EXPECT_EQ(PullResponseCodeFor(GetMessageStatus::kNoMatchedMessage, 0),
            ResponseCode::PULL_RETRY_IMMEDIATELY);
  EXPECT_EQ(PullResponseCodeFor(GetMessageStatus::kNoMessageInQueue, 0),
            ResponseCode::PULL_NOT_FOUND);
  EXPECT_EQ(PullResponseCodeFor(GetMessageStatus::kNoMessageInQueue, 3),
            ResponseCode::PULL_OFFSET_MOVED);
  EXPECT_EQ(PullResponseCodeFor(GetMessageStatus::kOffsetOverflowOne, 3),
            ResponseCode::PULL_NOT_FOUND);
  EXPECT_EQ(PullResponseCodeFor(GetMessageStatus::kOffsetOverflowBadly, 9),
            ResponseCode::PULL_OFFSET_MOVED);
  EXPECT_EQ(PullResponseCodeFor(GetMessageStatus::kOffsetTooSmall, 0),
            ResponseCode::PULL_OFFSET_MOVED);
  EXPECT_EQ(PullResponseCodeFor(GetMessageStatus::kReadError, 4), ResponseCode::SYSTEM_ERROR);
}

class PullMessageProcessorTest : public BrokerFixture {
 protected:
  // Sends one message to kTopic queue 0 and waits until it is visible to pulls.
  void Send(const std::string& body, const std::string& tags) {
    ASSERT_GE(
        BrokerFixture::Send(kTopic, 0, body, EncodeProperties({{"TAGS", tags}, {"WAIT", "true"}})),
        0);
    ASSERT_TRUE(broker_->message_store().WaitForDispatch(kTimeout));
  }

  // UPDATE_CONSUMER_OFFSET of kGroup on kTopic queue 0.
  RemotingCommand UpdateOffset(int64_t offset) {
    return Call(RequestCode::UPDATE_CONSUMER_OFFSET, {{"consumerGroup", kGroup},
                                                      {"topic", kTopic},
                                                      {"queueId", "0"},
                                                      {"commitOffset", std::to_string(offset)}});
  }

  // With the SUBSCRIPTION bit unless `heartbeat_subscription`, then with `sub_version`.
  static RemotingCommand PullRequestFor(int64_t offset, int32_t sys_flag = 0,
                                        const std::string& subscription = "*",
                                        int64_t suspend_ms = 15000, int64_t commit_offset = 0,
                                        bool heartbeat_subscription = false,
                                        int64_t sub_version = 0) {
    if (!heartbeat_subscription) sys_flag |= kPullFlagSubscription;
    RemotingCommand req = RemotingCommand::CreateRequest(RequestCode::PULL_MESSAGE);
    req.version = protocol::kCurrentVersion;
    req.SetExtField("consumerGroup", kGroup);
    req.SetExtField("topic", kTopic);
    req.SetExtField("queueId", "0");
    req.SetExtField("queueOffset", std::to_string(offset));
    req.SetExtField("maxMsgNums", "32");
    req.SetExtField("sysFlag", std::to_string(sys_flag));
    req.SetExtField("commitOffset", std::to_string(commit_offset));
    req.SetExtField("suspendTimeoutMillis", std::to_string(suspend_ms));
    req.SetExtField("subscription", subscription);
    req.SetExtField("subVersion", std::to_string(sub_version));
    req.SetExtField("expressionType", "TAG");
    return req;
  }

  // The bodies of the records in a pull response body, with their queue offsets.
  static std::vector<std::pair<std::string, int64_t>> Records(const std::string& body) {
    std::vector<std::pair<std::string, int64_t>> out;
    std::string_view rest = body;
    while (!rest.empty()) {
      Result<MessageView> v = DecodeStoredRecord(rest, true);
      EXPECT_TRUE(v.ok()) << v.status().ToString();
      if (!v.ok()) break;
      out.emplace_back(std::string(v->body), v->queue_offset);
      rest.remove_prefix(static_cast<size_t>(v->store_size));
    }
    return out;
  }

  static std::string Field(const RemotingCommand& r, std::string_view key) {
    const std::string* v = r.FindExtField(key);
    return v ? *v : "<absent>";
  }

  std::future<RemotingCommand> PullAsync(RemotingCommand req) {
    auto promise = std::make_shared<std::promise<RemotingCommand>>();
    std::future<RemotingCommand> f = promise->get_future();
    client_.InvokeAsync(BrokerAddr(), std::move(req), 30s, [promise](Result<RemotingCommand> r) {
      RemotingCommand failed;
      failed.code = -1;
      promise->set_value(r.ok() ? *r : failed);
    });
    return f;
  }
};

TEST_F(PullMessageProcessorTest, PullReturnsStoredRecords) {
  Send("m0", "TagA");
  Send("m1", "TagB");
  Send("m2", "TagA");
  RemotingCommand r = Invoke(PullRequestFor(0));
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.ToString();
  EXPECT_EQ(r.remark, "FOUND");
  EXPECT_EQ(Field(r, "nextBeginOffset"), "3");
  EXPECT_EQ(Field(r, "minOffset"), "0");
  EXPECT_EQ(Field(r, "maxOffset"), "3");
  EXPECT_EQ(Field(r, "suggestWhichBrokerId"), "0");
  auto records = Records(r.body);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0], std::make_pair(std::string("m0"), int64_t{0}));
  EXPECT_EQ(records[1], std::make_pair(std::string("m1"), int64_t{1}));
  EXPECT_EQ(records[2], std::make_pair(std::string("m2"), int64_t{2}));

  r = Invoke(PullRequestFor(1));
  ASSERT_EQ(r.code, ResponseCode::SUCCESS);
  EXPECT_EQ(Records(r.body).size(), 2u);
}

// A broker whose store reads through a fault-injecting file system. SYNC_FLUSH, so that the
// commit log is read with pread (which the file system can fail) rather than from a mapping.
class PullReadErrorTest : public PullMessageProcessorTest {
 protected:
  void Configure(BrokerConfig* config) override {
    config->store.flush_disk_type = store::FlushDiskType::kSyncFlush;
    fs_ = &fault_fs_;
  }
  void TearDown() override {
    PullMessageProcessorTest::TearDown();
    broker_.reset();  // before the file system it uses
  }

  holdfast::testing::FaultInjectionFileSystem fault_fs_;
};

TEST_F(PullReadErrorTest, AFailedReadIsSystemErrorNamingTheOffsetAndMovesNothing) {
  Send("m0", "TagA");
  Send("m1", "TagA");
  fault_fs_.FailReads(Status::IoError("injected EIO on pread"), "/commitlog/");
  RemotingCommand r = Invoke(PullRequestFor(0, kPullFlagSuspend));
  EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR) << r.ToString();
  EXPECT_NE(r.remark.value_or("").find("commit-log offset"), std::string::npos) << r.ToString();
  EXPECT_NE(r.remark.value_or("").find("injected EIO on pread"), std::string::npos);
  EXPECT_TRUE(r.body.empty());

  fault_fs_.ClearFaults();
  r = Invoke(PullRequestFor(0));
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.ToString();
  auto records = Records(r.body);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0], std::make_pair(std::string("m0"), int64_t{0}));
}

TEST_F(PullMessageProcessorTest, ARecordTheTagFilterCannotDecodeIsAnErrorNotDropped) {
  Send("m0", "TagA");
  const int64_t m1 = BrokerFixture::Send(kTopic, 0, "m1", EncodeProperties({{"TAGS", "TagA"}}));
  ASSERT_TRUE(broker_->message_store().WaitForDispatch(kTimeout));
  Send("m2", "TagA");
  // Damage m1's magic code on disk; its size still matches its consume-queue entry.
  {
    auto file = store::FileSystem::Default()->Open(
        config_.store.store_path_root_dir + "/commitlog/00000000000000000000", false);
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    ASSERT_TRUE((*file)->Write(m1 + 4, std::string("\xde\xad\xbe\xef", 4)).ok());
  }
  RemotingCommand r = Invoke(PullRequestFor(1, 0, "TagA"));
  EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR) << r.ToString();
  EXPECT_NE(r.remark.value_or("").find("queue offset 1 does not decode"), std::string::npos)
      << r.ToString();
  // From before it, the answer ends before it.
  r = Invoke(PullRequestFor(0, 0, "TagA"));
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.ToString();
  EXPECT_EQ(Field(r, "nextBeginOffset"), "1");
  auto records = Records(r.body);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].first, "m0");
}

TEST_F(PullMessageProcessorTest, TagFilterKeepsOnlyMatchingTags) {
  Send("a0", "TagA");
  Send("b1", "TagB");
  Send("c2", "TagC");
  Send("a3", "TagA");
  RemotingCommand r = Invoke(PullRequestFor(0, 0, "TagA || TagC"));
  ASSERT_EQ(r.code, ResponseCode::SUCCESS);
  auto records = Records(r.body);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].first, "a0");
  EXPECT_EQ(records[1].first, "c2");
  EXPECT_EQ(records[2].first, "a3");
  EXPECT_EQ(Field(r, "nextBeginOffset"), "4");

  r = Invoke(PullRequestFor(0, 0, "TagZ"));
  EXPECT_EQ(r.code, ResponseCode::PULL_RETRY_IMMEDIATELY);
  EXPECT_EQ(Field(r, "nextBeginOffset"), "4");
}

TEST_F(PullMessageProcessorTest, OffsetBeyondMaxIsMoved) {
  Send("m0", "TagA");
  Send("m1", "TagA");
  RemotingCommand r = Invoke(PullRequestFor(7));
  EXPECT_EQ(r.code, ResponseCode::PULL_OFFSET_MOVED);
  EXPECT_EQ(Field(r, "nextBeginOffset"), "2");
  EXPECT_EQ(Field(r, "maxOffset"), "2");

  r = Invoke(PullRequestFor(2));  // at max, no SUSPEND: answered at once
  EXPECT_EQ(r.code, ResponseCode::PULL_NOT_FOUND);
  EXPECT_EQ(Field(r, "nextBeginOffset"), "2");
}

TEST_F(PullMessageProcessorTest, SuspendedPullIsAnsweredWhenAMessageArrives) {
  Send("m0", "TagA");
  std::future<RemotingCommand> pending = PullAsync(PullRequestFor(1, kPullFlagSuspend));
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return broker_->pull_message_processor().hold_service().HeldCount() == 1; }));
  EXPECT_EQ(pending.wait_for(0ms), std::future_status::timeout);
  const auto sent = std::chrono::steady_clock::now();
  Send("m1", "TagA");
  ASSERT_EQ(pending.wait_for(kTimeout), std::future_status::ready);
  // Woken by the arrival, not by the 5 s fallback scan or the 15 s deadline.
  EXPECT_LT(std::chrono::steady_clock::now() - sent, PullRequestHoldService::kFallbackScanInterval);
  RemotingCommand r = pending.get();
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.ToString();
  auto records = Records(r.body);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].first, "m1");
  EXPECT_EQ(records[0].second, 1);
  EXPECT_EQ(Field(r, "nextBeginOffset"), "2");
}

TEST_F(PullMessageProcessorTest, SuspendedPullTimesOutWithNotFound) {
  Send("m0", "TagA");
  const auto start = std::chrono::steady_clock::now();
  std::future<RemotingCommand> pending = PullAsync(PullRequestFor(1, kPullFlagSuspend, "*", 200));
  ASSERT_EQ(pending.wait_for(kTimeout), std::future_status::ready);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
  RemotingCommand r = pending.get();
  EXPECT_EQ(r.code, ResponseCode::PULL_NOT_FOUND);
  EXPECT_EQ(Field(r, "nextBeginOffset"), "1");
}

TEST_F(PullMessageProcessorTest, PullCommitsOffsetWithCommitFlag) {
  Send("m0", "TagA");
  RemotingCommand r = Invoke(PullRequestFor(0, kPullFlagCommitOffset, "*", 15000, 1));
  ASSERT_EQ(r.code, ResponseCode::SUCCESS);
  EXPECT_EQ(broker_->consumer_offset_manager().QueryOffset(kGroup, kTopic, 0), 1);
}

TEST_F(PullMessageProcessorTest, UpdateThenQueryConsumerOffset) {
  Send("m0", "TagA");
  const std::map<std::string, std::string> query = {{"consumerGroup", kGroup},
                                                    {"topic", kTopic},
                                                    {"queueId", "0"},
                                                    {"setZeroIfNotFound", "false"}};
  EXPECT_EQ(Call(RequestCode::QUERY_CONSUMER_OFFSET, query).code, ResponseCode::QUERY_NOT_FOUND);

  EXPECT_EQ(UpdateOffset(1).code, ResponseCode::SUCCESS);

  RemotingCommand q = Call(RequestCode::QUERY_CONSUMER_OFFSET, query);
  ASSERT_EQ(q.code, ResponseCode::SUCCESS);
  EXPECT_EQ(Field(q, "offset"), "1");
}

TEST_F(PullMessageProcessorTest, QueryWithoutCommittedOffsetFollowsTheQuirk) {
  Send("m0", "TagA");
  // min 0 and the first message is in memory: 0
  RemotingCommand q = Call(RequestCode::QUERY_CONSUMER_OFFSET,
                           {{"consumerGroup", "OtherGroup"}, {"topic", kTopic}, {"queueId", "0"}});
  ASSERT_EQ(q.code, ResponseCode::SUCCESS);
  EXPECT_EQ(Field(q, "offset"), "0");
}

TEST_F(PullMessageProcessorTest, MaxAndMinOffset) {
  Send("m0", "TagA");
  Send("m1", "TagA");
  Send("m2", "TagA");
  const std::map<std::string, std::string> queue = {{"topic", kTopic}, {"queueId", "0"}};
  RemotingCommand r = Call(RequestCode::GET_MAX_OFFSET, queue);
  ASSERT_EQ(r.code, ResponseCode::SUCCESS);
  EXPECT_EQ(Field(r, "offset"), "3");

  r = Call(RequestCode::GET_MIN_OFFSET, queue);
  ASSERT_EQ(r.code, ResponseCode::SUCCESS);
  EXPECT_EQ(Field(r, "offset"), "0");

  r = Call(RequestCode::SEARCH_OFFSET_BY_TIMESTAMP,
           {{"topic", kTopic}, {"queueId", "0"}, {"timestamp", "0"}});
  ASSERT_EQ(r.code, ResponseCode::SUCCESS);
  EXPECT_EQ(Field(r, "offset"), "0");
}

TEST_F(PullMessageProcessorTest, SuspendedPullIgnoresArrivalsItsFilterRejects) {
  Send("m0", "TagA");
  std::future<RemotingCommand> pending = PullAsync(PullRequestFor(1, kPullFlagSuspend, "TagB"));
  ASSERT_TRUE(testing::WaitUntil(
      [&] { return broker_->pull_message_processor().hold_service().HeldCount() == 1; }));
  Send("m1", "TagA");  // not TagB: the pull stays parked
  EXPECT_EQ(pending.wait_for(0ms), std::future_status::timeout);
  EXPECT_EQ(broker_->pull_message_processor().hold_service().HeldCount(), 1u);
  Send("m2", "TagB");
  ASSERT_EQ(pending.wait_for(kTimeout), std::future_status::ready);
  RemotingCommand r = pending.get();
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.ToString();
  auto records = Records(r.body);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].first, "m2");
}

// Without the SUBSCRIPTION bit the filter is the one the group's heartbeat registered.
TEST_F(PullMessageProcessorTest, PullWithoutSubscriptionFlagUsesTheHeartbeatSubscription) {
  Send("a0", "TagA");
  Send("b1", "TagB");
  RemotingCommand r = Invoke(PullRequestFor(0, 0, "*", 15000, 0, true));
  EXPECT_EQ(r.code, ResponseCode::SUBSCRIPTION_NOT_EXIST);
  EXPECT_TRUE(r.remark.value_or("").starts_with("the consumer's group info not exist"))
      << r.remark.value_or("");

  ASSERT_EQ(Invoke(testing::HeartbeatRequest("c1", {kGroup, "OtherTopic"})).code,
            ResponseCode::SUCCESS);
  r = Invoke(PullRequestFor(0, 0, "*", 15000, 0, true));
  EXPECT_EQ(r.code, ResponseCode::SUBSCRIPTION_NOT_EXIST);
  EXPECT_TRUE(r.remark.value_or("").starts_with("the consumer's subscription not exist"))
      << r.remark.value_or("");

  ASSERT_EQ(Invoke(testing::HeartbeatRequest("c1", {kGroup, kTopic, "TagB", 5})).code,
            ResponseCode::SUCCESS);
  r = Invoke(PullRequestFor(0, 0, "*", 15000, 0, true, 6));
  EXPECT_EQ(r.code, ResponseCode::SUBSCRIPTION_NOT_LATEST);
  EXPECT_EQ(r.remark, "the consumer's subscription not latest");

  r = Invoke(PullRequestFor(0, 0, "*", 15000, 0, true, 5));
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.ToString();
  auto records = Records(r.body);
  ASSERT_EQ(records.size(), 1u);  // the registered "TagB", not the header's "*"
  EXPECT_EQ(records[0].first, "b1");
}

TEST_F(PullMessageProcessorTest, DisabledGroupHasNoPermission) {
  Send("m0", "TagA");
  SubscriptionGroupConfig config(kGroup);
  config.consume_enable = false;
  ASSERT_TRUE(broker_->subscription_group_manager().UpdateSubscriptionGroupConfig(config).ok());
  RemotingCommand r = Invoke(PullRequestFor(0));
  EXPECT_EQ(r.code, ResponseCode::NO_PERMISSION);
  EXPECT_EQ(r.remark, std::string("subscription group no permission, ") + kGroup);
}

TEST_F(PullMessageProcessorTest, UpdatedOffsetIsFlushedAtShutdown) {
  Send("m0", "TagA");
  ASSERT_EQ(UpdateOffset(1).code, ResponseCode::SUCCESS);
  client_.Shutdown();
  broker_->Shutdown();
  Result<std::string> text = store::ReadWholeFile(
      store::FileSystem::Default(), dir_.Sub("store") + "/config/consumerOffset.json");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_NE(text->find(std::string("\"") + kTopic + "@" + kGroup + "\":{0:1}"), std::string::npos)
      << *text;
}

class PullWithoutAutoCreateGroupTest : public PullMessageProcessorTest {
 protected:
  void Configure(BrokerConfig* c) override { c->auto_create_subscription_group = false; }
};

TEST_F(PullWithoutAutoCreateGroupTest, UnknownGroupIsRejected) {
  Send("m0", "TagA");
  RemotingCommand r = Invoke(PullRequestFor(0));
  EXPECT_EQ(r.code, ResponseCode::SUBSCRIPTION_GROUP_NOT_EXIST);
  EXPECT_TRUE(r.remark.value_or("").starts_with(std::string("subscription group [") + kGroup +
                                                "] does not exist"))
      << r.remark.value_or("");
}

class ConsumerOffsetFlushTest : public PullMessageProcessorTest {
 protected:
  void Configure(BrokerConfig* c) override { c->flush_consumer_offset_interval = 100; }
};

TEST_F(ConsumerOffsetFlushTest, UpdatedOffsetReachesTheFileWithinTheInterval) {
  Send("m0", "TagA");
  ASSERT_EQ(UpdateOffset(1).code, ResponseCode::SUCCESS);
  const std::string path = dir_.Sub("store") + "/config/consumerOffset.json";
  const std::string expected = std::string("\"") + kTopic + "@" + kGroup + "\":{0:1}";
  EXPECT_TRUE(testing::WaitUntil([&] {
    Result<std::string> text = store::ReadWholeFile(store::FileSystem::Default(), path);
    return text.ok() && text->find(expected) != std::string::npos;
  }));
}

}  // namespace
}  // namespace holdfast::broker
