// The table logic of RemoteBrokerOffsetStore over an in-memory BrokerOffsetApi that behaves like
// the broker's consumer offset table (QUERY_NOT_FOUND for unknown queues). The store against a
// real broker is covered by push_consumer_test.
#include "client/remote_broker_offset_store.h"

#include <gtest/gtest.h>

#include <map>

namespace holdfast::client {
namespace {

class BrokerTable : public BrokerOffsetApi {
 public:
  Result<int64_t> QueryConsumerOffset(const std::string& group, const MessageQueue& mq) override {
    ++queries;
    if (unreachable) return Status::Unavailable("connect to broker-a failed");
    auto it = stored.find({group, mq});
    if (it == stored.end()) return Status::NotFound("QUERY_NOT_FOUND");
    return it->second;
  }
  Status UpdateConsumerOffsetOneway(const std::string& group, const MessageQueue& mq,
                                    int64_t offset) override {
    if (unreachable) return Status::Unavailable("connect to broker-a failed");
    stored[{group, mq}] = offset;
    return Status::Ok();
  }

  std::map<std::pair<std::string, MessageQueue>, int64_t> stored;
  int queries = 0;
  bool unreachable = false;
};

const MessageQueue kQ0{"T", "broker-a", 0};
const MessageQueue kQ1{"T", "broker-a", 1};

TEST(RemoteBrokerOffsetStoreTest, UnknownQueueReadsMinusOneFromMemoryAndStore) {
  BrokerTable broker;
  RemoteBrokerOffsetStore store(&broker, "G");
  auto mem = store.ReadOffset(kQ0, ReadOffsetType::kReadFromMemory);
  ASSERT_TRUE(mem.ok());
  EXPECT_EQ(*mem, -1);
  EXPECT_EQ(broker.queries, 0);
  auto remote = store.ReadOffset(kQ0, ReadOffsetType::kReadFromStore);
  ASSERT_TRUE(remote.ok());
  EXPECT_EQ(*remote, -1) << "QUERY_NOT_FOUND means no committed offset";
}

TEST(RemoteBrokerOffsetStoreTest, BrokerErrorIsAnErrorNotMinusOne) {
  BrokerTable broker;
  broker.unreachable = true;
  RemoteBrokerOffsetStore store(&broker, "G");
  auto r = store.ReadOffset(kQ0, ReadOffsetType::kReadFromStore);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("broker-a"), std::string::npos);
}

TEST(RemoteBrokerOffsetStoreTest, ReadFromStoreRemembersTheBrokersOffset) {
  BrokerTable broker;
  broker.stored[{"G", kQ0}] = 17;
  RemoteBrokerOffsetStore store(&broker, "G");
  auto r = store.ReadOffset(kQ0, ReadOffsetType::kMemoryFirstThenStore);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 17);
  auto again = store.ReadOffset(kQ0, ReadOffsetType::kMemoryFirstThenStore);
  EXPECT_EQ(*again, 17);
  EXPECT_EQ(broker.queries, 1) << "the second read comes from memory";
}

TEST(RemoteBrokerOffsetStoreTest, IncreaseOnlyUpdatesNeverMoveBack) {
  BrokerTable broker;
  RemoteBrokerOffsetStore store(&broker, "G");
  store.UpdateOffset(kQ0, 10, true);
  store.UpdateOffset(kQ0, 7, true);
  EXPECT_EQ(*store.ReadOffset(kQ0, ReadOffsetType::kReadFromMemory), 10);
  store.UpdateOffset(kQ0, 7, false);
  EXPECT_EQ(*store.ReadOffset(kQ0, ReadOffsetType::kReadFromMemory), 7) << "told to: seek back";
}

TEST(RemoteBrokerOffsetStoreTest, PersistAllSendsAssignedQueuesAndForgetsTheOthers) {
  BrokerTable broker;
  RemoteBrokerOffsetStore store(&broker, "G");
  store.UpdateOffset(kQ0, 5, true);
  store.UpdateOffset(kQ1, 9, true);
  store.PersistAll({kQ0});
  EXPECT_EQ(broker.stored.at({"G", kQ0}), 5);
  EXPECT_EQ(broker.stored.count({"G", kQ1}), 0u) << "not ours any more: not sent";
  EXPECT_EQ(store.CloneOffsetTable("T").size(), 1u);
}

TEST(RemoteBrokerOffsetStoreTest, PersistOneAndRemove) {
  BrokerTable broker;
  RemoteBrokerOffsetStore store(&broker, "G");
  store.UpdateOffset(kQ1, 3, true);
  store.Persist(kQ1);
  EXPECT_EQ(broker.stored.at({"G", kQ1}), 3);
  store.RemoveOffset(kQ1);
  EXPECT_TRUE(store.CloneOffsetTable("").empty());
}

TEST(RemoteBrokerOffsetStoreTest, CloneFiltersByTopic) {
  BrokerTable broker;
  RemoteBrokerOffsetStore store(&broker, "G");
  store.UpdateOffset(kQ0, 1, true);
  store.UpdateOffset(MessageQueue{"U", "broker-a", 0}, 2, true);
  EXPECT_EQ(store.CloneOffsetTable("U").size(), 1u);
  EXPECT_EQ(store.CloneOffsetTable("").size(), 2u);
}

}  // namespace
}  // namespace holdfast::client
