// A BrokerFixture for tests of a consumer's failed messages (retry_and_dlq.h): send-back requests,
// sends straight to a retry topic, and reading what a topic holds. Test-only.
//
// Where the store routes DELAY > 0 through SCHEDULE_TOPIC_XXXX (the delay feature), the broker is
// given messageDelayLevel "1s 1s ..." so that a retry copy reaches %RETRY%<group> within a second;
// where it does not, the copy is stored in %RETRY%<group> at once with its DELAY property. Tests
// wait for the copy to become readable in %RETRY%<group> and check its level with
// ExpectDelayLevel, which accepts either form.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "broker/broker_test_fixture.h"
#include "broker/retry_and_dlq.h"
#include "common/message_codec.h"
#include "remoting/protocol/consumer_send_msg_back_request_header.h"
#include "tests/support/wait_until.h"

namespace holdfast::broker {

class RetryFixture : public BrokerFixture {
 protected:
  static constexpr char kGroup[] = "G";
  static constexpr char kTopic[] = "Orders";

  void Configure(BrokerConfig* config) override {
    // Round-trip the fixture's settings through broker.conf keys with messageDelayLevel added.
    // listenPort 0 (any port) is the fixture's, not a broker.conf value.
    PropertyOverrides keys;
    for (const auto& [key, value] : BrokerConfigToMap(*config)) {
      if (key != "listenPort") keys[key] = value;
    }
    keys["messageDelayLevel"] = "1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s";
    Result<BrokerConfig> parsed = ParseBrokerConfig("", "test", keys);
    if (parsed.ok()) {
      parsed->listen_port = 0;
      *config = *parsed;
    } else {
      // A build without delay levels knows no messageDelayLevel, and nothing else is wrong.
      const std::string problems = parsed.status().message();
      ASSERT_EQ(std::count(problems.begin(), problems.end(), '\n'), 0) << problems;
      ASSERT_THAT(problems, ::testing::HasSubstr("messageDelayLevel"));
    }
  }

  // CONSUMER_SEND_MSG_BACK as a Java 4.9 consumer sends it (version V5_3_3 unless given).
  remoting::RemotingCommand SendBack(int64_t offset, int32_t delay_level,
                                     std::optional<int32_t> max_reconsume_times = 16,
                                     const std::string& group = kGroup,
                                     int32_t version = protocol::kCurrentVersion) {
    auto request =
        remoting::RemotingCommand::CreateRequest(remoting::RequestCode::CONSUMER_SEND_MSG_BACK);
    request.version = version;
    protocol::EncodeCustomHeader(
        protocol::ConsumerSendMsgBackRequestHeader{.offset = offset,
                                                   .group = group,
                                                   .delay_level = delay_level,
                                                   .origin_msg_id = "",
                                                   .origin_topic = kTopic,
                                                   .unit_mode = false,
                                                   .max_reconsume_times = max_reconsume_times},
        &request);
    return Invoke(std::move(request));
  }

  // A SEND_MESSAGE_V2 to `topic` with header reconsumeTimes (j) and maxReconsumeTimes (l), as the
  // Java producer sends a retry-topic message (it moves RECONSUME_TIME and MAX_RECONSUME_TIMES
  // from the properties into j and l).
  remoting::RemotingCommand SendToTopic(const std::string& topic, const std::string& body,
                                        const PropertyMap& properties, int32_t reconsume_times,
                                        std::optional<int32_t> max_reconsume_times) {
    remoting::RemotingCommand request =
        holdfast::testing::SendMessageV2Request(topic, -1, body, EncodeProperties(properties));
    request.SetExtField("j", std::to_string(reconsume_times));
    if (max_reconsume_times) request.SetExtField("l", std::to_string(*max_reconsume_times));
    return Invoke(std::move(request));
  }

  // Every message the consume queues of `topic` hold now, queue by queue.
  std::vector<MessageExt> MessagesIn(const std::string& topic) {
    std::vector<MessageExt> out;
    store::MessageStore& store = broker_->message_store();
    for (int32_t queue = 0; queue < 32; ++queue) {
      store::GetMessageResult r = store.GetMessage(topic, queue, 0, 64, 1 << 20);
      for (const std::string& record : r.messages) {
        Result<MessageView> view = DecodeStoredRecord(record, true);
        EXPECT_TRUE(view.ok()) << view.status().ToString();
        if (view.ok()) out.push_back(view->ToMessageExt());
      }
    }
    return out;
  }

  // Waits until `topic` holds `count` messages and returns them (fewer when the wait timed out,
  // with a test failure).
  std::vector<MessageExt> WaitForMessages(const std::string& topic, size_t count) {
    std::vector<MessageExt> found;
    const bool reached = holdfast::testing::WaitUntil(
        [&] {
          found = MessagesIn(topic);
          return found.size() >= count;
        },
        std::chrono::seconds(10));
    EXPECT_TRUE(reached) << topic << " holds " << found.size() << " messages, want " << count;
    return found;
  }

  // Every message dispatched so far, and nothing more in `topic`: for "nothing was stored there".
  std::vector<MessageExt> SettledMessagesIn(const std::string& topic) {
    EXPECT_TRUE(broker_->message_store().WaitForDispatch(std::chrono::seconds(5)));
    return MessagesIn(topic);
  }

  // The level a retry copy was stored with: its DELAY property where the store keeps it on the
  // message, or (delay feature) the DELAY of the SCHEDULE_TOPIC_XXXX record it came through.
  void ExpectDelayLevel(const MessageExt& delivered, int32_t level) {
    const PropertyMap props = DecodeProperties(delivered.properties);
    const auto delay = props.find(property::kDelayTimeLevel);
    if (delay != props.end()) {
      EXPECT_EQ(delay->second, std::to_string(level));
      return;
    }
    const std::string uniq = props.at(std::string(property::kUniqClientMessageIdKeyIndex));
    int matches = 0;
    for (const MessageExt& scheduled : MessagesIn("SCHEDULE_TOPIC_XXXX")) {
      const PropertyMap sp = DecodeProperties(scheduled.properties);
      const auto real = sp.find(property::kRealTopic);
      const auto key = sp.find(property::kUniqClientMessageIdKeyIndex);
      if (real == sp.end() || real->second != delivered.topic || key == sp.end() ||
          key->second != uniq || scheduled.reconsume_times != delivered.reconsume_times) {
        continue;
      }
      ++matches;
      EXPECT_EQ(scheduled.queue_id, level - 1) << "the level's schedule queue";
      const auto scheduled_delay = sp.find(property::kDelayTimeLevel);
      EXPECT_EQ(scheduled_delay == sp.end() ? "<absent>" : scheduled_delay->second,
                std::to_string(level));
    }
    EXPECT_EQ(matches, 1) << "neither a DELAY on the copy nor its SCHEDULE_TOPIC_XXXX record";
  }

  static std::string Property(const MessageExt& m, std::string_view key) {
    const std::optional<std::string_view> value = FindProperty(m.properties, key);
    return value ? std::string(*value) : "<absent>";
  }

  // Sets fields of kGroup's config (created with the defaults first).
  void UpdateGroup(const std::function<void(protocol::SubscriptionGroupConfig&)>& change) {
    protocol::SubscriptionGroupConfig config(kGroup);
    change(config);
    ASSERT_TRUE(broker_->subscription_group_manager().UpdateSubscriptionGroupConfig(config).ok());
  }
};

}  // namespace holdfast::broker
