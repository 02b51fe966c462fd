#include "broker/consumer_manager.h"

#include <gtest/gtest.h>

#include <asio.hpp>

namespace holdfast::broker {
namespace {

using namespace std::chrono_literals;
using protocol::BuildSubscriptionData;
using protocol::ConsumeType;
using protocol::SubscriptionData;
using remoting::Connection;

// Channels that are never connected: the manager only keeps and compares them.
class ConsumerManagerTest : public ::testing::Test {
 protected:
  std::shared_ptr<Connection> NewChannel() {
    return Connection::Create(asio::ip::tcp::socket(io_, asio::ip::tcp::v4()), {}, nullptr,
                              nullptr);
  }

  ClientChannelInfo Info(
      const std::shared_ptr<Connection>& c, std::string id,
      std::chrono::steady_clock::time_point at = std::chrono::steady_clock::now()) {
    ClientChannelInfo info;
    info.channel = c;
    info.client_id = std::move(id);
    info.last_update_timestamp = at;
    return info;
  }

  // First: the channels in manager_ must go before their io_context.
  asio::io_context io_;

  struct Event {
    ConsumerGroupEvent type;
    std::string group;
    size_t channels;
  };

  ConsumerManager manager_{[this](ConsumerGroupEvent e, const std::string& g,
                                  const std::vector<std::shared_ptr<Connection>>& channels) {
                             events_.push_back({e, g, channels.size()});
                           },
                           120s};
  std::vector<Event> events_;
};

TEST_F(ConsumerManagerTest, RegisterNotifiesOnNewChannelOnly) {
  auto a = NewChannel();
  auto b = NewChannel();
  std::vector<SubscriptionData> subs = {BuildSubscriptionData("T", "*", "TAG", 1)};
  EXPECT_TRUE(manager_.RegisterConsumer("G", Info(a, "ca"), ConsumeType::kConsumePassively,
                                        MessageModel::kClustering, 0, subs, true));
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].type, ConsumerGroupEvent::kChange);
  EXPECT_EQ(events_[0].channels, 1u);
  // The same channel again with the same subscriptions: no change, no event.
  EXPECT_FALSE(manager_.RegisterConsumer("G", Info(a, "ca"), ConsumeType::kConsumePassively,
                                         MessageModel::kClustering, 0, subs, true));
  EXPECT_EQ(events_.size(), 1u);
  EXPECT_TRUE(manager_.RegisterConsumer("G", Info(b, "cb"), ConsumeType::kConsumePassively,
                                        MessageModel::kClustering, 0, subs, true));
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(events_[1].channels, 2u);
  EXPECT_EQ(manager_.GetAllClientId("G"), (std::vector<std::string>{"ca", "cb"}));
  // notify=false: registered, but nobody is told.
  auto c = NewChannel();
  EXPECT_TRUE(manager_.RegisterConsumer("G", Info(c, "cc"), ConsumeType::kConsumePassively,
                                        MessageModel::kClustering, 0, subs, false));
  EXPECT_EQ(events_.size(), 2u);
  EXPECT_EQ(manager_.GetAllClientId("G").size(), 3u);
}

TEST_F(ConsumerManagerTest, NewestSubVersionWinsAndMissingTopicsAreDropped) {
  auto a = NewChannel();
  manager_.RegisterConsumer(
      "G", Info(a, "ca"), ConsumeType::kConsumePassively, MessageModel::kClustering, 0,
      {BuildSubscriptionData("T", "A", "TAG", 5), BuildSubscriptionData("U", "*", "TAG", 5)}, true);
  // Older version: ignored.
  manager_.RegisterConsumer(
      "G", Info(a, "ca"), ConsumeType::kConsumePassively, MessageModel::kClustering, 0,
      {BuildSubscriptionData("T", "B", "TAG", 4), BuildSubscriptionData("U", "*", "TAG", 5)}, true);
  EXPECT_EQ(manager_.FindSubscriptionData("G", "T")->sub_string, "A");
  // Newer version: replaces.
  manager_.RegisterConsumer("G", Info(a, "ca"), ConsumeType::kConsumePassively,
                            MessageModel::kClustering, 0,
                            {BuildSubscriptionData("T", "B", "TAG", 6)}, true);
  std::optional<SubscriptionData> t = manager_.FindSubscriptionData("G", "T");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->sub_string, "B");
  EXPECT_EQ(t->sub_version, 6);
  EXPECT_FALSE(manager_.FindSubscriptionData("G", "U").has_value());
  EXPECT_FALSE(manager_.FindSubscriptionData("Other", "T").has_value());
}

TEST_F(ConsumerManagerTest, UnregisterAndCloseRemoveTheChannel) {
  auto a = NewChannel();
  auto b = NewChannel();
  for (auto& [c, id] : {std::pair{a, "ca"}, std::pair{b, "cb"}}) {
    manager_.RegisterConsumer("G", Info(c, id), ConsumeType::kConsumePassively,
                              MessageModel::kClustering, 0, {}, true);
    manager_.RegisterConsumer("H", Info(c, id), ConsumeType::kConsumePassively,
                              MessageModel::kClustering, 0, {}, true);
  }
  events_.clear();
  manager_.UnregisterConsumer("G", a.get(), true);
  EXPECT_EQ(manager_.GetAllClientId("G"), (std::vector<std::string>{"cb"}));
  EXPECT_EQ(manager_.GetAllClientId("H").size(), 2u);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].group, "G");
  EXPECT_EQ(events_[0].channels, 1u);

  events_.clear();
  manager_.DoChannelCloseEvent(b.get());
  EXPECT_FALSE(manager_.GetConsumerGroupInfo("G").has_value());  // empty groups go away
  EXPECT_EQ(manager_.GetAllClientId("H"), (std::vector<std::string>{"ca"}));
  // G: unregister + change (to nobody); H: change to the one left.
  ASSERT_EQ(events_.size(), 3u);
  EXPECT_EQ(events_[0].type, ConsumerGroupEvent::kUnregister);
  EXPECT_EQ(events_[0].group, "G");
  EXPECT_EQ(events_[2].group, "H");
  EXPECT_EQ(events_[2].channels, 1u);
}

TEST_F(ConsumerManagerTest, ChannelsWithoutHeartbeatFor120sExpire) {
  const auto t0 = std::chrono::steady_clock::now();
  auto old_channel = NewChannel();
  auto fresh = NewChannel();
  manager_.RegisterConsumer("G", Info(old_channel, "old", t0), ConsumeType::kConsumePassively,
                            MessageModel::kClustering, 0, {}, true);
  manager_.RegisterConsumer("G", Info(fresh, "fresh", t0 + 60s), ConsumeType::kConsumePassively,
                            MessageModel::kClustering, 0, {}, true);
  EXPECT_EQ(manager_.ScanNotActiveChannel(t0 + 120s), 0u);
  events_.clear();
  EXPECT_EQ(manager_.ScanNotActiveChannel(t0 + 121s), 1u);
  EXPECT_EQ(manager_.GetAllClientId("G"), (std::vector<std::string>{"fresh"}));
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].channels, 1u);
  io_.poll();  // runs the Close posted for the expired channel
  EXPECT_FALSE(old_channel->IsOpen());
  EXPECT_TRUE(fresh->IsOpen());
}

}  // namespace
}  // namespace holdfast::broker
