#include "broker/client_housekeeping_service.h"

#include <gtest/gtest.h>

#include <asio.hpp>

#include "tests/support/wait_until.h"

namespace holdfast::broker {
namespace {

using namespace std::chrono_literals;
using protocol::ConsumeType;

// With a short scan interval and expiry the service drops silent channels on its own; a channel
// whose heartbeat is recent stays.
TEST(ClientHousekeepingServiceTest, DropsSilentChannelsOnItsOwn) {
  asio::io_context io;
  auto channel = [&] {
    return remoting::Connection::Create(asio::ip::tcp::socket(io, asio::ip::tcp::v4()), {}, nullptr,
                                        nullptr);
  };
  ConsumerManager consumers(nullptr, 1000ms);
  ProducerManager producers(1000ms);
  const auto now = std::chrono::steady_clock::now();
  ClientChannelInfo silent{channel(), "silent", remoting::LanguageCode::kJava, 0, now - 10s};
  ClientChannelInfo alive{channel(), "alive", remoting::LanguageCode::kJava, 0, now + 1h};
  consumers.RegisterConsumer("G", silent, ConsumeType::kConsumePassively, MessageModel::kClustering,
                             0, {}, false);
  consumers.RegisterConsumer("G", alive, ConsumeType::kConsumePassively, MessageModel::kClustering,
                             0, {}, false);
  producers.RegisterProducer("P", silent);

  ClientHousekeepingService service(&consumers, &producers, 10ms);
  service.Start();
  EXPECT_TRUE(testing::WaitUntil([&] {
    return consumers.GetAllClientId("G") == std::vector<std::string>{"alive"} &&
           producers.GetGroupChannels("P").empty();
  }));
  service.Shutdown();
}

}  // namespace
}  // namespace holdfast::broker
