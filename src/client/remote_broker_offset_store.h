// RemoteBrokerOffsetStore (RocketMQ's): clustering consumers' offsets, kept on the broker that
// owns each queue (QUERY_CONSUMER_OFFSET / UPDATE_CONSUMER_OFFSET, docs/protocol.md §4.5) with an
// in-memory table in front. Listeners move the table; PersistAll (every
// persist_consumer_offset_interval and at shutdown) sends it, oneway, for the queues this consumer
// holds.
//
// Thread-safe. The BrokerOffsetApi must outlive the store.
#pragma once

#include <memory>
#include <string>

#include "client/offset_store.h"
#include "client/offset_table.h"

namespace holdfast::client {

// What the store needs from the client instance: the two offset RPCs to the master of the
// queue's broker.
class BrokerOffsetApi {
 public:
  virtual ~BrokerOffsetApi() = default;
  // NotFound only when the broker answered QUERY_NOT_FOUND (no committed offset for the group);
  // any other failure (no address known for the broker, connection, timeout) another error.
  virtual Result<int64_t> QueryConsumerOffset(const std::string& group, const MessageQueue& mq) = 0;
  // OK means queued, not stored.
  virtual Status UpdateConsumerOffsetOneway(const std::string& group, const MessageQueue& mq,
                                            int64_t offset) = 0;
};

class RemoteBrokerOffsetStore : public OffsetStore {
 public:
  RemoteBrokerOffsetStore(BrokerOffsetApi* api, std::string group);

  Status Load() override { return Status::Ok(); }
  void UpdateOffset(const MessageQueue& mq, int64_t offset, bool increase_only) override;
  Result<int64_t> ReadOffset(const MessageQueue& mq, ReadOffsetType type) override;
  void PersistAll(const std::set<MessageQueue>& mqs) override;
  void Persist(const MessageQueue& mq) override;
  void RemoveOffset(const MessageQueue& mq) override;
  std::map<MessageQueue, int64_t> CloneOffsetTable(const std::string& topic) const override;

 private:
  // Constant after construction.
  BrokerOffsetApi* const api_;
  const std::string group_;

  OffsetTable table_;
};

}  // namespace holdfast::client
