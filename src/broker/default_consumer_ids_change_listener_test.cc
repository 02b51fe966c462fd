#include "broker/default_consumer_ids_change_listener.h"

#include <gtest/gtest.h>

#include <asio.hpp>

namespace holdfast::broker {
namespace {

// The connections are never connected: a queued frame shows up in queued_write_bytes() at once.
class DefaultConsumerIdsChangeListenerTest : public ::testing::Test {
 protected:
  std::shared_ptr<remoting::Connection> NewChannel() {
    return remoting::Connection::Create(asio::ip::tcp::socket(io_, asio::ip::tcp::v4()), {},
                                        nullptr, nullptr);
  }
  asio::io_context io_;
};

TEST_F(DefaultConsumerIdsChangeListenerTest, ChangeIsSentToEveryChannelWhenEnabled) {
  auto a = NewChannel();
  auto b = NewChannel();
  MakeDefaultConsumerIdsChangeListener(true)(ConsumerGroupEvent::kChange, "G", {a, b});
  EXPECT_GT(a->queued_write_bytes(), 0u);
  EXPECT_GT(b->queued_write_bytes(), 0u);
}

TEST_F(DefaultConsumerIdsChangeListenerTest, NothingIsSentWhenDisabledOrOnUnregister) {
  auto a = NewChannel();
  MakeDefaultConsumerIdsChangeListener(false)(ConsumerGroupEvent::kChange, "G", {a});
  MakeDefaultConsumerIdsChangeListener(true)(ConsumerGroupEvent::kUnregister, "G", {a});
  EXPECT_EQ(a->queued_write_bytes(), 0u);
}

}  // namespace
}  // namespace holdfast::broker
