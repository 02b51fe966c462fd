// ConsumerSendMsgBackProcessor over real TCP on 127.0.0.1 (RetryFixture: a name server, a broker
// with its store in a TempDir, a RemotingClient playing the consumer), step by step as
// docs/protocol.md §8.3 "Send-back" lists them. Waits are on conditions with deadlines.
#include "broker/consumer_send_msg_back_processor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "broker/retry_test_fixture.h"
#include "common/clock.h"
#include "remoting/protocol/perm_name.h"

namespace holdfast::broker {
namespace {

using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;
using ::testing::HasSubstr;

class ConsumerSendMsgBackTest : public RetryFixture {
 protected:
  // Sends one message to kTopic with TAGS, KEYS and a UNIQ_KEY, and header reconsumeTimes
  // `reconsume_times` (what a retry copy or a test's "already retried" message carries); returns
  // its commit-log offset.
  int64_t SendOriginal(const std::string& body, int32_t reconsume_times = 0) {
    RemotingCommand r = SendToTopic(kTopic, body,
                                    {{"TAGS", "TagA"},
                                     {"KEYS", "order-1"},
                                     {"UNIQ_KEY", "7F0000012A3B18B4AAC27D4E5F600000"},
                                     {"WAIT", "true"}},
                                    reconsume_times, std::nullopt);
    EXPECT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
    const std::string* id = r.FindExtField("msgId");
    if (id == nullptr) return -1;
    Result<OffsetMsgId> decoded = DecodeOffsetMsgId(*id);
    return decoded.ok() ? decoded->commit_log_offset : -1;
  }

  std::string OffsetMsgIdOf(int64_t offset) {
    return CreateOffsetMsgId(broker_->store_host(), offset);
  }
};

TEST_F(ConsumerSendMsgBackTest, StoresARetryCopyOfTheStoredMessage) {
  const int64_t offset = SendOriginal("payload");
  ASSERT_GE(offset, 0);
  const int64_t before = NowMillis();
  RemotingCommand r = SendBack(offset, 0);
  const int64_t after = NowMillis();
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
  EXPECT_FALSE(r.remark.has_value()) << *r.remark;

  std::vector<MessageExt> retried = WaitForMessages("%RETRY%G", 1);
  ASSERT_EQ(retried.size(), 1u);
  const MessageExt& copy = retried[0];
  Result<MessageExt> original = broker_->message_store().LookMessageByOffset(offset);
  ASSERT_TRUE(original.ok()) << original.status().ToString();
  EXPECT_EQ(copy.body, "payload");
  EXPECT_EQ(copy.reconsume_times, 1);
  EXPECT_EQ(copy.flag, original->flag);
  EXPECT_EQ(copy.sys_flag, original->sys_flag);
  EXPECT_EQ(copy.born_timestamp, original->born_timestamp);
  EXPECT_EQ(copy.born_host, original->born_host);
  EXPECT_EQ(Property(copy, "RETRY_TOPIC"), kTopic);
  EXPECT_EQ(Property(copy, "ORIGIN_MESSAGE_ID"), OffsetMsgIdOf(offset));
  EXPECT_EQ(Property(copy, "UNIQ_KEY"), "7F0000012A3B18B4AAC27D4E5F600000");
  EXPECT_EQ(Property(copy, "TAGS"), "TagA");
  EXPECT_EQ(Property(copy, "KEYS"), "order-1");
  const int64_t first_failure = std::stoll(Property(copy, "HOLDFAST_FIRST_FAILURE_TIME"));
  EXPECT_GE(first_failure, before);
  EXPECT_LE(first_failure, after);
  ExpectDelayLevel(copy, 3);  // delayLevel 0: 3 + reconsumeTimes 0

  // The retry topic as RocketMQ creates it: retryQueueNums (1) queues, read + write.
  std::optional<protocol::TopicConfig> topic =
      broker_->topic_config_manager().SelectTopicConfig("%RETRY%G");
  ASSERT_TRUE(topic.has_value());
  EXPECT_EQ(topic->write_queue_nums, 1);
  EXPECT_EQ(topic->read_queue_nums, 1);
  EXPECT_EQ(topic->perm, protocol::kPermRead | protocol::kPermWrite);
  EXPECT_TRUE(SettledMessagesIn("%DLQ%G").empty());
}

TEST_F(ConsumerSendMsgBackTest, ASecondFailureKeepsOriginAndFirstFailureTime) {
  const int64_t offset = SendOriginal("payload");
  ASSERT_EQ(SendBack(offset, 0).code, ResponseCode::SUCCESS);
  std::vector<MessageExt> first = WaitForMessages("%RETRY%G", 1);
  ASSERT_EQ(first.size(), 1u);

  // The consumer fails the retry copy too and hands that one back, with its own level.
  ASSERT_EQ(SendBack(first[0].commit_log_offset, 5).code, ResponseCode::SUCCESS);
  std::vector<MessageExt> both = WaitForMessages("%RETRY%G", 2);
  ASSERT_EQ(both.size(), 2u);
  const MessageExt& second = both[1];
  EXPECT_EQ(second.reconsume_times, 2);
  EXPECT_EQ(Property(second, "RETRY_TOPIC"), kTopic) << "the first topic, not %RETRY%G";
  EXPECT_EQ(Property(second, "ORIGIN_MESSAGE_ID"), OffsetMsgIdOf(offset));
  EXPECT_EQ(Property(second, "HOLDFAST_FIRST_FAILURE_TIME"),
            Property(first[0], "HOLDFAST_FIRST_FAILURE_TIME"));
  EXPECT_EQ(Property(second, "UNIQ_KEY"), Property(first[0], "UNIQ_KEY"));
  ExpectDelayLevel(second, 5);
}

TEST_F(ConsumerSendMsgBackTest, AtMaxReconsumeTimesTheCopyGoesToTheDlq) {
  const int64_t offset = SendOriginal("tired", 16);
  ASSERT_EQ(SendBack(offset, 0, 16).code, ResponseCode::SUCCESS);

  std::vector<MessageExt> dead = WaitForMessages("%DLQ%G", 1);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].body, "tired");
  EXPECT_EQ(dead[0].reconsume_times, 17);
  EXPECT_EQ(Property(dead[0], "DELAY"), "<absent>") << "a dead letter is not delayed";
  EXPECT_EQ(Property(dead[0], "RETRY_TOPIC"), kTopic);
  EXPECT_EQ(Property(dead[0], "ORIGIN_MESSAGE_ID"), OffsetMsgIdOf(offset));
  EXPECT_NE(Property(dead[0], "HOLDFAST_FIRST_FAILURE_TIME"), "<absent>");
  EXPECT_TRUE(SettledMessagesIn("%RETRY%G").empty());
  EXPECT_TRUE(SettledMessagesIn("SCHEDULE_TOPIC_XXXX").empty());

  // The DLQ topic as 4.9.7 creates it: one queue, read + write.
  std::optional<protocol::TopicConfig> topic =
      broker_->topic_config_manager().SelectTopicConfig("%DLQ%G");
  ASSERT_TRUE(topic.has_value());
  EXPECT_EQ(topic->write_queue_nums, 1);
  EXPECT_EQ(topic->read_queue_nums, 1);
  EXPECT_EQ(topic->perm, protocol::kPermRead | protocol::kPermWrite);
}

TEST_F(ConsumerSendMsgBackTest, BelowTheRequestsMaxTheCopyIsRetried) {
  const int64_t offset = SendOriginal("again", 15);
  ASSERT_EQ(SendBack(offset, 0, 16).code, ResponseCode::SUCCESS);
  std::vector<MessageExt> retried = WaitForMessages("%RETRY%G", 1);
  ASSERT_EQ(retried.size(), 1u);
  EXPECT_EQ(retried[0].reconsume_times, 16);
  ExpectDelayLevel(retried[0], 18);  // 3 + 15
  EXPECT_TRUE(SettledMessagesIn("%DLQ%G").empty());
}

TEST_F(ConsumerSendMsgBackTest, WithoutARequestMaxTheGroupsRetryMaxTimesDecides) {
  UpdateGroup([](protocol::SubscriptionGroupConfig& g) { g.retry_max_times = 2; });
  const int64_t offset = SendOriginal("group limit", 2);
  ASSERT_EQ(SendBack(offset, 0, std::nullopt).code, ResponseCode::SUCCESS);
  EXPECT_EQ(WaitForMessages("%DLQ%G", 1).size(), 1u);

  // A client older than V3_4_9 is not asked for its max: the group's applies.
  const int64_t young = SendOriginal("old client", 1);
  ASSERT_EQ(SendBack(young, 0, 1, kGroup, /*version=*/120).code, ResponseCode::SUCCESS);
  std::vector<MessageExt> retried = WaitForMessages("%RETRY%G", 1);
  ASSERT_EQ(retried.size(), 1u);
  EXPECT_EQ(retried[0].body, "old client");
  EXPECT_EQ(SettledMessagesIn("%DLQ%G").size(), 1u);
}

TEST_F(ConsumerSendMsgBackTest, NegativeDelayLevelGoesStraightToTheDlq) {
  const int64_t offset = SendOriginal("hopeless");
  ASSERT_EQ(SendBack(offset, -1).code, ResponseCode::SUCCESS);
  std::vector<MessageExt> dead = WaitForMessages("%DLQ%G", 1);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].reconsume_times, 1);
  EXPECT_EQ(Property(dead[0], "DELAY"), "<absent>");
  EXPECT_TRUE(SettledMessagesIn("%RETRY%G").empty());
}

TEST_F(ConsumerSendMsgBackTest, AnOffsetWithNoMessageIsASystemError) {
  const int64_t offset = SendOriginal("real");
  const int64_t phy_before = broker_->message_store().GetMaxPhyOffset();
  for (int64_t bad : {phy_before + 4096, offset + 1}) {
    RemotingCommand r = SendBack(bad, 0);
    EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR);
    EXPECT_THAT(r.remark.value_or(""),
                HasSubstr("look message by offset failed, " + std::to_string(bad)));
  }
  EXPECT_EQ(broker_->message_store().GetMaxPhyOffset(), phy_before) << "nothing was stored";
}

TEST_F(ConsumerSendMsgBackTest, RetryQueueNumsZeroAnswersSuccessAndStoresNothing) {
  UpdateGroup([](protocol::SubscriptionGroupConfig& g) { g.retry_queue_nums = 0; });
  const int64_t offset = SendOriginal("dropped");
  const int64_t phy_before = broker_->message_store().GetMaxPhyOffset();
  RemotingCommand r = SendBack(offset, 0);
  EXPECT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
  EXPECT_EQ(broker_->message_store().GetMaxPhyOffset(), phy_before);
  EXPECT_FALSE(broker_->topic_config_manager().SelectTopicConfig("%RETRY%G").has_value());
}

TEST_F(ConsumerSendMsgBackTest, ARetryTopicWithoutWritePermissionIsRefused) {
  ASSERT_TRUE(broker_->topic_config_manager()
                  .UpdateTopicConfig(protocol::TopicConfig("%RETRY%G", 1, 1, protocol::kPermRead))
                  .ok());
  const int64_t offset = SendOriginal("read only");
  const int64_t phy_before = broker_->message_store().GetMaxPhyOffset();
  RemotingCommand r = SendBack(offset, 0);
  EXPECT_EQ(r.code, ResponseCode::NO_PERMISSION);
  EXPECT_THAT(r.remark.value_or(""), HasSubstr("%RETRY%G"));
  EXPECT_EQ(broker_->message_store().GetMaxPhyOffset(), phy_before);
}

TEST_F(ConsumerSendMsgBackTest, AMalformedHeaderIsAnErrorNamingTheField) {
  RemotingCommand missing =
      Call(RequestCode::CONSUMER_SEND_MSG_BACK, {{"group", "G"}, {"delayLevel", "0"}});
  EXPECT_EQ(missing.code, ResponseCode::SYSTEM_ERROR);
  EXPECT_THAT(missing.remark.value_or(""), HasSubstr("offset"));

  RemotingCommand bad_number = Call(RequestCode::CONSUMER_SEND_MSG_BACK,
                                    {{"offset", "0"}, {"group", "G"}, {"delayLevel", "three"}});
  EXPECT_EQ(bad_number.code, ResponseCode::SYSTEM_ERROR);
  EXPECT_THAT(bad_number.remark.value_or(""), HasSubstr("delayLevel"));

  RemotingCommand bad_group = Call(RequestCode::CONSUMER_SEND_MSG_BACK,
                                   {{"offset", "0"}, {"group", "no spaces"}, {"delayLevel", "0"}});
  EXPECT_EQ(bad_group.code, ResponseCode::INVALID_PARAMETER);
  EXPECT_THAT(bad_group.remark.value_or(""), HasSubstr("no spaces"));
}

class ConsumerSendMsgBackNoAutoCreateTest : public ConsumerSendMsgBackTest {
 protected:
  void Configure(BrokerConfig* config) override {
    ConsumerSendMsgBackTest::Configure(config);
    config->auto_create_subscription_group = false;
  }
};

TEST_F(ConsumerSendMsgBackNoAutoCreateTest, AnUnknownGroupIsRefused) {
  const int64_t offset = SendOriginal("orphan");
  RemotingCommand r = SendBack(offset, 0, 16, "Unknown");
  EXPECT_EQ(r.code, ResponseCode::SUBSCRIPTION_GROUP_NOT_EXIST);
  EXPECT_THAT(r.remark.value_or(""), HasSubstr("Unknown"));
  EXPECT_FALSE(broker_->topic_config_manager().SelectTopicConfig("%RETRY%Unknown").has_value());

  // Once the group is configured the same send-back is taken.
  UpdateGroup([](protocol::SubscriptionGroupConfig&) {});
  EXPECT_EQ(SendBack(offset, 0).code, ResponseCode::SUCCESS);
  EXPECT_EQ(WaitForMessages("%RETRY%G", 1).size(), 1u);
}

}  // namespace
}  // namespace holdfast::broker
