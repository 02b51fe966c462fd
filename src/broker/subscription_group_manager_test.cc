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
using protocol::SubscriptionGroupConfig;
using ::testing::HasSubstr;

store::FileSystem* Fs() { return store::FileSystem::Default(); }

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
