// ConsumerManageProcessor: the offset requests (docs/protocol.md §4.5). QUERY_CONSUMER_OFFSET (14)
// and UPDATE_CONSUMER_OFFSET (15), as RocketMQ's ConsumerManageProcessor; GET_MAX_OFFSET (30),
// GET_MIN_OFFSET (31) and SEARCH_OFFSET_BY_TIMESTAMP (29), which RocketMQ serves from
// AdminBrokerProcessor, are here too because they are the same kind of small store query.
//
// QUERY_CONSUMER_OFFSET with no committed offset follows RocketMQ's quirk: QUERY_NOT_FOUND when
// setZeroIfNotFound is "false"; otherwise SUCCESS with offset 0 when the queue's min offset is <= 0
// and its first message is not "on disk" (no message at offset 0, or it lies within 40 % of the
// machine's RAM behind the commit log's max offset, accessMessageInMemoryMaxRatio); else
// QUERY_NOT_FOUND. SEARCH_OFFSET_BY_TIMESTAMP ignores the 5.x boundaryType (always "lower").
// A malformed header answers SYSTEM_ERROR naming the field.
//
// Thread-safe: Process may run on any number of remoting workers at once.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "broker/broker_response.h"
#include "broker/consumer_offset_manager.h"
#include "remoting/remoting_command.h"
#include "remoting/response_writer.h"
#include "store/message_store.h"

namespace holdfast::broker {

class ConsumerManageProcessor : public TableProcessor<ConsumerManageProcessor> {
 public:
  // `offsets` and `store` must outlive the processor.
  ConsumerManageProcessor(ConsumerOffsetManager* offsets, store::MessageStore* store);

 private:
  friend class TableProcessor<ConsumerManageProcessor>;

  // The request codes served and the member function answering each.
  static std::span<const RequestHandler<ConsumerManageProcessor>> Handlers();

  remoting::RemotingCommand QueryConsumerOffset(const remoting::RemotingCommand& request);
  remoting::RemotingCommand UpdateConsumerOffset(const remoting::RemotingCommand& request);
  remoting::RemotingCommand QueueOffset(const remoting::RemotingCommand& request);

  // Whether the record at commit-log offset `phy` is no longer in the in-memory window.
  bool IsOnDisk(int64_t phy) const;

  ConsumerOffsetManager* const offsets_;
  store::MessageStore* const store_;
};

}  // namespace holdfast::broker
