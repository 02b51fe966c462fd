// The outcome of reading a consume queue, with RocketMQ's GetMessageStatus names; the broker maps
// them to pull response codes (docs/store-format.md has the table).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::store {

enum class GetMessageStatus {
  kFound,
  kNoMatchedMessage,     // entries were read but the filter matched none
  kMessageWasRemoving,   // the entry points below the commit log's minimum
  kOffsetFoundNull,      // no entry at the offset (between files)
  kOffsetOverflowBadly,  // offset > max
  kOffsetOverflowOne,    // offset == max: nothing new yet
  kOffsetTooSmall,       // offset < min
  kNoMatchedLogicQueue,  // no such topic/queue
  kNoMessageInQueue,     // the queue is empty
};

std::string_view GetMessageStatusName(GetMessageStatus status);

struct GetMessageResult {
  GetMessageStatus status = GetMessageStatus::kNoMatchedLogicQueue;
  int64_t next_begin_offset = 0;
  int64_t min_offset = 0;
  int64_t max_offset = 0;
  // Stored records, byte for byte as in the commit log (the pull response body format).
  std::vector<std::string> messages;
  std::vector<int64_t> queue_offsets;  // queue offset of each message
  int64_t buffer_total_size = 0;
};

}  // namespace holdfast::store
