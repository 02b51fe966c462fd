// QueryMessageProcessor: finding stored messages for tools and clients, as RocketMQ 4.9's
// QueryMessageProcessor (docs/protocol.md §4.5):
//
//   12 QUERY_MESSAGE       header topic, key, maxNum, beginTimestamp, endTimestamp; extFields
//                          _UNIQUE_KEY_QUERY = "true" when key is a UNIQ_KEY (queryMsgById), which
//                          forces maxNum to 32. Answers SUCCESS with the matching stored records
//                          concatenated (newest first, at most min(maxNum, 64)), or
//                          QUERY_NOT_FOUND; both carry indexLastUpdateTimestamp and
//                          indexLastUpdatePhyoffset.
//   33 VIEW_MESSAGE_BY_ID  header offset (commit-log offset, from an offsetMsgId); body = the
//                          stored record; SYSTEM_ERROR naming the offset when no record starts
//                          there.
//
// Bodies are the records byte for byte as in the commit log (docs/protocol.md §6.1), what
// MessageDecoder reads. A missing or malformed header field answers SYSTEM_ERROR naming it.
//
// Thread-safe: Process may run on any number of remoting workers at once.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "broker/broker_response.h"
#include "remoting/remoting_command.h"
#include "remoting/response_writer.h"
#include "store/message_store.h"

namespace holdfast::broker {

// RocketMQ's defaultQueryMaxNum (a unique-key query) and maxMsgsNumBatch (the store's cap).
inline constexpr int32_t kDefaultQueryMaxNum = 32;
inline constexpr int32_t kMaxMsgsNumBatch = 64;

class QueryMessageProcessor : public TableProcessor<QueryMessageProcessor> {
 public:
  // `store` must outlive the processor.
  explicit QueryMessageProcessor(store::MessageStore* store);

 private:
  friend class TableProcessor<QueryMessageProcessor>;

  // The request codes served and the member function answering each.
  static std::span<const RequestHandler<QueryMessageProcessor>> Handlers();

  remoting::RemotingCommand QueryMessage(const remoting::RemotingCommand& request);
  remoting::RemotingCommand ViewMessageById(const remoting::RemotingCommand& request);

  store::MessageStore* const store_;
};

}  // namespace holdfast::broker
