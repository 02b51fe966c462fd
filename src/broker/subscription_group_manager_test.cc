#include "broker/subscription_group_manager.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "broker/broker_test_fixture.h"
#include "store/file_system.h"
#include "tests/support/temp_dir.h"

namespace holdfast::broker {
namespace {

using protocol::DataVersion;
using ::testing::HasSubstr;

store::FileSystem* Fs() { return store::FileSystem::Default(); }

TEST(SubscriptionGroupConfigTest, DefaultsFollowRocketMq) {
  SubscriptionGroupConfig c("G");
  EXPECT_TRUE(c.consume_enable);
  EXPECT_TRUE(c.consume_from_min_enable);
  EXPECT_TRUE(c.consume_broadcast_enable);
  EXPECT_FALSE(c.consume_message_orderly);
  EXPECT_EQ(c.retry_queue_nums, 1);
  EXPECT_EQ(c.retry_max_times, 16);
  EXPECT_EQ(c.broker_id, 0);
  EXPECT_EQ(c.which_broker_when_consume_slowly, 1);
  EXPECT_TRUE(c.notify_consumer_ids_changed_enable);
  EXPECT_EQ(c.group_sys_flag, 0);
  EXPECT_EQ(c.consume_timeout_minute, 15);
  auto back = SubscriptionGroupConfig::FromJson(c.ToJson());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, c);
  EXPECT_FALSE(SubscriptionGroupConfig::FromJson(nlohmann::json{{"retryMaxTimes", "x"}}).ok());
}

TEST(SubscriptionGroupManagerTest, AutoCreatesWhenEnabled) {
  testing::TempDir dir;
  SubscriptionGroupManager manager(Fs(), BrokerConfigAt(dir.path()));
  EXPECT_TRUE(manager.SelectSubscriptionGroupConfig("TOOLS_CONSUMER").has_value());
  EXPECT_FALSE(manager.SelectSubscriptionGroupConfig("G1").has_value());
  auto g = manager.FindSubscriptionGroupConfig("G1");
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->group_name, "G1");
  EXPECT_EQ(g->retry_max_times, 16);
  EXPECT_TRUE(manager.SelectSubscriptionGroupConfig("G1").has_value());
  EXPECT_FALSE(manager.FindSubscriptionGroupConfig("bad group!").has_value());
}

TEST(SubscriptionGroupManagerTest, NoAutoCreateWhenDisabled) {
  testing::TempDir dir;
  BrokerConfig config = BrokerConfigAt(dir.path());
  config.auto_create_subscription_group = false;
  SubscriptionGroupManager manager(Fs(), config);
  EXPECT_FALSE(manager.FindSubscriptionGroupConfig("G1").has_value());
}

TEST(SubscriptionGroupManagerTest, PersistenceRoundTripAndBakFallback) {
  testing::TempDir dir;
  DataVersion version;
  {
    SubscriptionGroupManager manager(Fs(), BrokerConfigAt(dir.path()));
    SubscriptionGroupConfig c("Orderly");
    c.consume_message_orderly = true;
    c.retry_max_times = 3;
    ASSERT_TRUE(manager.UpdateSubscriptionGroupConfig(c).ok());
    ASSERT_TRUE(manager.FindSubscriptionGroupConfig("Auto").has_value());
    ASSERT_TRUE(manager.DeleteSubscriptionGroupConfig("Auto").ok());
    EXPECT_TRUE(manager.DeleteSubscriptionGroupConfig("Auto").IsNotFound());
    version = manager.data_version();
  }
  const std::string main = dir.Sub("config/subscriptionGroup.json");
  auto text = store::ReadWholeFile(Fs(), main);
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, HasSubstr("\"forbiddenTable\""));
  EXPECT_THAT(*text, HasSubstr("\"subscriptionGroupTable\""));
  {
    SubscriptionGroupManager reloaded(Fs(), BrokerConfigAt(dir.path()));
    ASSERT_TRUE(reloaded.Load().ok());
    auto c = reloaded.SelectSubscriptionGroupConfig("Orderly");
    ASSERT_TRUE(c.has_value());
    EXPECT_TRUE(c->consume_message_orderly);
    EXPECT_EQ(c->retry_max_times, 3);
    EXPECT_FALSE(reloaded.SelectSubscriptionGroupConfig("Auto").has_value());
    EXPECT_EQ(reloaded.data_version(), version);
  }
  // The .bak holds the version before the delete, which still had "Auto".
  ASSERT_TRUE(store::WriteFileAtomically(Fs(), main, "{\"subscriptionGroupTable\":[").ok());
  SubscriptionGroupManager fallback(Fs(), BrokerConfigAt(dir.path()));
  ASSERT_TRUE(fallback.Load().ok());
  EXPECT_TRUE(fallback.SelectSubscriptionGroupConfig("Orderly").has_value());
  EXPECT_TRUE(fallback.SelectSubscriptionGroupConfig("Auto").has_value());
}

}  // namespace
}  // namespace holdfast::broker
