#include "broker/producer_manager.h"

#include <gtest/gtest.h>

#include <asio.hpp>

namespace holdfast::broker {
namespace {

using namespace std::chrono_literals;
using remoting::Connection;

class ProducerManagerTest : public ::testing::Test {
 protected:
  std::shared_ptr<Connection> NewChannel() {
    return Connection::Create(asio::ip::tcp::socket(io_, asio::ip::tcp::v4()), {}, nullptr,
                              nullptr);
  }
  static ClientChannelInfo Info(const std::shared_ptr<Connection>& c, std::string id,
                                std::chrono::steady_clock::time_point at) {
    ClientChannelInfo info;
    info.channel = c;
    info.client_id = std::move(id);
    info.last_update_timestamp = at;
    return info;
  }

  asio::io_context io_;
  ProducerManager manager_{120s};
};

TEST_F(ProducerManagerTest, RegisterUnregisterClose) {
  const auto now = std::chrono::steady_clock::now();
  auto a = NewChannel();
  auto b = NewChannel();
  manager_.RegisterProducer("P", Info(a, "ca", now));
  manager_.RegisterProducer("P", Info(a, "ca", now));  // a refresh, not a second entry
  manager_.RegisterProducer("P", Info(b, "cb", now));
  manager_.RegisterProducer("Q", Info(b, "cb", now));
  EXPECT_EQ(manager_.GetGroupChannels("P").size(), 2u);
  manager_.UnregisterProducer("P", a.get());
  ASSERT_EQ(manager_.GetGroupChannels("P").size(), 1u);
  EXPECT_EQ(manager_.GetGroupChannels("P")[0].client_id, "cb");
  manager_.DoChannelCloseEvent(b.get());
  EXPECT_TRUE(manager_.GetGroupChannels("P").empty());
  EXPECT_TRUE(manager_.GetGroups().empty());
}

TEST_F(ProducerManagerTest, ExpiredChannelsAreDroppedAndClosed) {
  const auto t0 = std::chrono::steady_clock::now();
  auto old_channel = NewChannel();
  auto fresh = NewChannel();
  manager_.RegisterProducer("P", Info(old_channel, "old", t0));
  manager_.RegisterProducer("P", Info(fresh, "fresh", t0 + 30s));
  EXPECT_EQ(manager_.ScanNotActiveChannel(t0 + 100s), 0u);
  EXPECT_EQ(manager_.ScanNotActiveChannel(t0 + 121s), 1u);
  ASSERT_EQ(manager_.GetGroupChannels("P").size(), 1u);
  EXPECT_EQ(manager_.GetGroupChannels("P")[0].client_id, "fresh");
  io_.poll();
  EXPECT_FALSE(old_channel->IsOpen());
}

}  // namespace
}  // namespace holdfast::broker
