// OffsetStore (RocketMQ's): a consumer's committed offset per MessageQueue, the "next message to
// consume". Clustering consumers keep it on the broker (RemoteBrokerOffsetStore), broadcasting
// consumers in a local file (LocalFileOffsetStore). Both keep an in-memory table that consumers
// update after every listener call and that PersistAll writes out periodically and at shutdown.
//
// Thread-safe: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "common/status.h"
#include "holdfast/consumer_options.h"
#include "holdfast/message.h"

namespace holdfast::client {

enum class ReadOffsetType {
  kReadFromMemory,        // the in-memory table only
  kReadFromStore,         // the broker or the file, and remember the answer
  kMemoryFirstThenStore,  // the table, else the store
};

class OffsetStore {
 public:
  virtual ~OffsetStore() = default;

  // Reads what a previous run persisted (local file); nothing to do for the broker store.
  virtual Status Load() = 0;

  // Sets the in-memory offset. With increase_only an offset lower than the one held is ignored,
  // so a late listener completion never moves a queue back; Seek and a corrected illegal offset
  // pass false.
  virtual void UpdateOffset(const MessageQueue& mq, int64_t offset, bool increase_only) = 0;

  // The committed offset, or -1 when none is known (no table entry; the broker answered
  // QUERY_NOT_FOUND; no entry in the file). An error Status when the store could not be asked
  // (broker unreachable): the caller must not guess a start offset then.
  virtual Result<int64_t> ReadOffset(const MessageQueue& mq, ReadOffsetType type) = 0;

  // Writes out the offsets of `mqs` (the queues this consumer holds); table entries of other
  // queues are forgotten. Errors are logged: the next round retries.
  virtual void PersistAll(const std::set<MessageQueue>& mqs) = 0;
  // Writes out one queue's offset now (a queue rebalance takes away).
  virtual void Persist(const MessageQueue& mq) = 0;
  virtual void RemoveOffset(const MessageQueue& mq) = 0;

  // The table's entries for `topic` (every topic when empty).
  virtual std::map<MessageQueue, int64_t> CloneOffsetTable(const std::string& topic) const = 0;
};

class BrokerOffsetApi;

// The store a consumer of `model` uses: RemoteBrokerOffsetStore over `api` (clustering; api must
// outlive it) or LocalFileOffsetStore under DefaultLocalOffsetStoreDir() (broadcasting).
std::unique_ptr<OffsetStore> CreateOffsetStore(MessageModel model, BrokerOffsetApi* api,
                                               const std::string& client_id,
                                               const std::string& group);

}  // namespace holdfast::client
