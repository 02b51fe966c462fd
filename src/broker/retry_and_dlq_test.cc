// The retry/DLQ rule (retry_and_dlq.h) on its own, and on the send path: messages a consumer
// sends straight to %RETRY%<group> (the client's fallback after a failed CONSUMER_SEND_MSG_BACK,
// an orderly consumer's message out of local retries), over real TCP to a real broker.
#include "broker/retry_and_dlq.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "broker/retry_test_fixture.h"
#include "remoting/protocol/mq_version.h"
#include "remoting/protocol/perm_name.h"

namespace holdfast::broker {
namespace {

using remoting::RemotingCommand;
using remoting::ResponseCode;
using ::testing::HasSubstr;

TEST(RetryAndDlqRuleTest, TheRequestsMaxCountsFromV3_4_9) {
  protocol::SubscriptionGroupConfig group("G");
  group.retry_max_times = 7;
  EXPECT_EQ(MaxReconsumeTimes(group, protocol::kVersionV3_4_9, 3), 3);
  EXPECT_EQ(MaxReconsumeTimes(group, protocol::kCurrentVersion, 0), 0);
  EXPECT_EQ(MaxReconsumeTimes(group, protocol::kVersionV3_4_9 - 1, 3), 7);
  EXPECT_EQ(MaxReconsumeTimes(group, protocol::kCurrentVersion, std::nullopt), 7);
}

TEST(RetryAndDlqRuleTest, TheFirstFailureTimeIsSetOnce) {
  PropertyMap props;
  NoteFirstFailure(&props, 1000);
  NoteFirstFailure(&props, 2000);
  EXPECT_EQ(props.at("HOLDFAST_FIRST_FAILURE_TIME"), "1000");
}

TEST(RetryAndDlqRuleTest, TopicNames) {
  EXPECT_EQ(RetryTopicOf("G"), "%RETRY%G");
  EXPECT_EQ(DlqTopicOf("G"), "%DLQ%G");
}

class RetryTopicSendTest : public RetryFixture {
 protected:
  // What a Java push consumer's fallback sends for a message that failed `reconsume_times` times
  // before (docs/protocol.md §8.3 "Client fallback"): the original's properties, RETRY_TOPIC,
  // ORIGIN_MESSAGE_ID and DELAY 3 + reconsumeTimes; RECONSUME_TIME (+1) and MAX_RECONSUME_TIMES
  // moved by the producer into the header's j and l.
  static PropertyMap FallbackProperties(int32_t reconsume_times) {
    return {{"TAGS", "TagA"},
            {"UNIQ_KEY", "7F0000012A3B18B4AAC27D4E5F600001"},
            {"RETRY_TOPIC", kTopic},
            {"ORIGIN_MESSAGE_ID", "7F00000100002A9F0000000000000000"},
            {"DELAY", std::to_string(3 + reconsume_times)},
            {"WAIT", "true"}};
  }

  // The stored record a send answer's msgId (offsetMsgId) points at.
  MessageExt StoredRecordOf(const RemotingCommand& answer) {
    const std::string* id = answer.FindExtField("msgId");
    EXPECT_NE(id, nullptr);
    Result<OffsetMsgId> decoded = DecodeOffsetMsgId(id ? *id : "");
    EXPECT_TRUE(decoded.ok());
    Result<MessageExt> m =
        broker_->message_store().LookMessageByOffset(decoded.ok() ? decoded->commit_log_offset : 0);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? *m : MessageExt{};
  }
};

TEST_F(RetryTopicSendTest, AtTheMaxTheMessageIsStoredInTheDlqAtOnce) {
  // The 16th retry failed: reconsumeTimes (already + 1) is 16, the max 16.
  RemotingCommand r = SendToTopic("%RETRY%G", "last try", FallbackProperties(15), 16, 16);
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
  const MessageExt stored = StoredRecordOf(r);
  EXPECT_EQ(stored.topic, "%DLQ%G");
  EXPECT_EQ(stored.queue_id, 0);
  EXPECT_EQ(stored.reconsume_times, 16);
  EXPECT_EQ(stored.body, "last try");
  EXPECT_EQ(Property(stored, "DELAY"), "<absent>") << "a dead letter waits for nobody";
  EXPECT_EQ(Property(stored, "RETRY_TOPIC"), kTopic);
  EXPECT_EQ(Property(stored, "UNIQ_KEY"), "7F0000012A3B18B4AAC27D4E5F600001");
  EXPECT_NE(Property(stored, "HOLDFAST_FIRST_FAILURE_TIME"), "<absent>");
  EXPECT_EQ(r.FindExtField("queueId") ? *r.FindExtField("queueId") : "", "0");

  EXPECT_EQ(WaitForMessages("%DLQ%G", 1).size(), 1u);
  EXPECT_TRUE(SettledMessagesIn("%RETRY%G").empty());
  EXPECT_TRUE(SettledMessagesIn("SCHEDULE_TOPIC_XXXX").empty());
  std::optional<protocol::TopicConfig> dlq =
      broker_->topic_config_manager().SelectTopicConfig("%DLQ%G");
  ASSERT_TRUE(dlq.has_value());
  EXPECT_EQ(dlq->write_queue_nums, 1);
  EXPECT_EQ(dlq->perm, protocol::kPermRead | protocol::kPermWrite);
  // The retry topic the send named was created as well, as on any send to an unknown %RETRY%.
  EXPECT_TRUE(broker_->topic_config_manager().SelectTopicConfig("%RETRY%G").has_value());
}

TEST_F(RetryTopicSendTest, AnOrderlyConsumersMessageOutOfRetriesGoesToTheDlq) {
  // ConsumeMessageOrderlyService.sendMessageBack: reconsumeTimes unchanged at the consumer's max
  // (3 here), MAX_RECONSUME_TIMES 3, DELAY 3 + 3; the first failure's time came along from the
  // message the consumer held.
  PropertyMap props = FallbackProperties(3);
  props["HOLDFAST_FIRST_FAILURE_TIME"] = "1700000000000";
  RemotingCommand r = SendToTopic("%RETRY%G", "ordered", props, 3, 3);
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
  const MessageExt stored = StoredRecordOf(r);
  EXPECT_EQ(stored.topic, "%DLQ%G");
  EXPECT_EQ(stored.reconsume_times, 3);
  EXPECT_EQ(Property(stored, "HOLDFAST_FIRST_FAILURE_TIME"), "1700000000000");
  EXPECT_EQ(Property(stored, "DELAY"), "<absent>");
}

TEST_F(RetryTopicSendTest, WithoutTheHeadersMaxThePropertyOrTheGroupDecides) {
  // A sender that left MAX_RECONSUME_TIMES in the properties.
  PropertyMap props = FallbackProperties(2);
  props["MAX_RECONSUME_TIMES"] = "3";
  RemotingCommand by_property = SendToTopic("%RETRY%G", "property max", props, 3, std::nullopt);
  ASSERT_EQ(by_property.code, ResponseCode::SUCCESS) << by_property.remark.value_or("");
  EXPECT_EQ(StoredRecordOf(by_property).topic, "%DLQ%G");

  // Neither: the group's retryMaxTimes.
  UpdateGroup([](protocol::SubscriptionGroupConfig& g) { g.retry_max_times = 2; });
  RemotingCommand by_group =
      SendToTopic("%RETRY%G", "group max", FallbackProperties(1), 2, std::nullopt);
  ASSERT_EQ(by_group.code, ResponseCode::SUCCESS) << by_group.remark.value_or("");
  EXPECT_EQ(StoredRecordOf(by_group).topic, "%DLQ%G");
}

TEST_F(RetryTopicSendTest, BelowTheMaxTheMessageStaysInTheRetryTopic) {
  // Without DELAY: the send path refuses delayed sends where the broker has no delay levels.
  PropertyMap props = FallbackProperties(0);
  props.erase("DELAY");
  RemotingCommand r = SendToTopic("%RETRY%G", "one more", props, 1, 16);
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
  const MessageExt stored = StoredRecordOf(r);
  EXPECT_EQ(stored.topic, "%RETRY%G");
  EXPECT_EQ(stored.reconsume_times, 1);
  EXPECT_NE(Property(stored, "HOLDFAST_FIRST_FAILURE_TIME"), "<absent>");
  EXPECT_TRUE(SettledMessagesIn("%DLQ%G").empty());
}

TEST_F(RetryTopicSendTest, ABatchToARetryTopicIsStillRefused) {
  remoting::RemotingCommand request =
      holdfast::testing::SendMessageV2Request("%RETRY%G", 0, "", "", /*batch=*/true);
  RemotingCommand r = Invoke(std::move(request));
  EXPECT_EQ(r.code, ResponseCode::MESSAGE_ILLEGAL);
  EXPECT_THAT(r.remark.value_or(""), HasSubstr("%RETRY%G"));
}

class RetryTopicSendNoAutoCreateTest : public RetryTopicSendTest {
 protected:
  void Configure(BrokerConfig* config) override {
    RetryTopicSendTest::Configure(config);
    config->auto_create_subscription_group = false;
  }
};

TEST_F(RetryTopicSendNoAutoCreateTest, AnUnknownGroupIsRefusedAndNothingIsCreated) {
  const int64_t phy_before = broker_->message_store().GetMaxPhyOffset();
  RemotingCommand r = SendToTopic("%RETRY%Nobody", "x", FallbackProperties(15), 16, 16);
  EXPECT_EQ(r.code, ResponseCode::SUBSCRIPTION_GROUP_NOT_EXIST);
  EXPECT_THAT(r.remark.value_or(""), HasSubstr("Nobody"));
  EXPECT_EQ(broker_->message_store().GetMaxPhyOffset(), phy_before);
  EXPECT_FALSE(broker_->topic_config_manager().SelectTopicConfig("%RETRY%Nobody").has_value());
  EXPECT_FALSE(broker_->topic_config_manager().SelectTopicConfig("%DLQ%Nobody").has_value());
}

}  // namespace
}  // namespace holdfast::broker
