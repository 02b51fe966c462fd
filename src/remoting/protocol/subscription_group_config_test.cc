#include "remoting/protocol/subscription_group_config.h"

#include <gtest/gtest.h>

#include "remoting/protocol/subscription_group_wrapper.h"

namespace holdfast::protocol {
namespace {

TEST(SubscriptionGroupConfigTest, DefaultsRoundTripAndWhatTheAdminToolSends) {
  SubscriptionGroupConfig c("G");
  EXPECT_EQ(
      EncodeSubscriptionGroupConfig(c),
      R"({"brokerId":0,"consumeBroadcastEnable":true,"consumeEnable":true,)"
      R"("consumeFromMinEnable":true,"consumeMessageOrderly":false,"consumeTimeoutMinute":15,)"
      R"("groupName":"G","groupSysFlag":0,"notifyConsumerIdsChangedEnable":true,)"
      R"("retryMaxTimes":16,"retryQueueNums":1,"whichBrokerWhenConsumeSlowly":1})");
  c.consume_enable = false;
  c.retry_max_times = 3;
  c.broker_id = 2;
  Result<SubscriptionGroupConfig> back =
      DecodeSubscriptionGroupConfig(EncodeSubscriptionGroupConfig(c));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, c);
  // mqadmin updateSubGroup sends only what it was given; the rest keeps the defaults.
  Result<SubscriptionGroupConfig> partial =
      DecodeSubscriptionGroupConfig(R"({"groupName":"G2","retryQueueNums":"2"})");
  ASSERT_TRUE(partial.ok()) << partial.status().ToString();
  EXPECT_EQ(partial->retry_queue_nums, 2);
  EXPECT_TRUE(partial->consume_enable);
  Result<SubscriptionGroupConfig> bad =
      DecodeSubscriptionGroupConfig(R"({"groupName":"G","consumeEnable":7})");
  ASSERT_TRUE(bad.status().IsCorruption());
  EXPECT_NE(bad.status().message().find("consumeEnable"), std::string::npos);
}

TEST(SubscriptionGroupWrapperTest, RoundTripsCompactAndPretty) {
  SubscriptionGroupWrapper w;
  w.subscription_group_table["G"] = SubscriptionGroupConfig("G");
  w.subscription_group_table["H"] = SubscriptionGroupConfig("H");
  w.subscription_group_table["H"].consume_message_orderly = true;
  w.forbidden_table["G"]["T"] = 2;
  w.data_version = DataVersion{.counter = 4, .state_version = 0, .timestamp = 9};
  for (bool pretty : {false, true}) {
    Result<SubscriptionGroupWrapper> back =
        DecodeSubscriptionGroupWrapper(EncodeSubscriptionGroupWrapper(w, pretty));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, w);
  }
  Result<SubscriptionGroupWrapper> no_name =
      DecodeSubscriptionGroupWrapper(R"({"subscriptionGroupTable":{"K":{"retryMaxTimes":1}}})");
  ASSERT_TRUE(no_name.ok());
  EXPECT_EQ(no_name->subscription_group_table.at("K").group_name, "K");
  EXPECT_FALSE(no_name->data_version.has_value());
  EXPECT_TRUE(DecodeSubscriptionGroupWrapper(R"({"forbiddenTable":[]})").status().IsCorruption());
}

}  // namespace
}  // namespace holdfast::protocol
