// The outcome of reading a consume queue, with RocketMQ's GetMessageStatus names and one of our
// own (READ_ERROR); the broker maps them to pull response codes (docs/store-format.md has the
// table).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace holdfast::store {

enum class GetMessageStatus {
  kFound,
  kNoMatchedMessage,     // entries were read but the filter matched none
  kMessageWasRemoving,   // the entry points below the commit log's minimum
  kOffsetFoundNull,      // RocketMQ: no entry at the offset; never answered here (see kReadError)
  kOffsetOverflowBadly,  // offset > max
  kOffsetOverflowOne,    // offset == max: nothing new yet
  kOffsetTooSmall,       // offset < min
  kNoMatchedLogicQueue,  // no such topic/queue
  kNoMessageInQueue,     // the queue is empty
  // Holdfast's own: the entry at the offset, or the record it points at, could not be read or is
  // not a valid entry (an I/O error, or bytes lost under a live store). Nothing at or after the
  // offset is known to be missing, so nothing may be skipped: next_begin_offset is the offset
  // asked for, and `error` says what failed, naming the file or commit-log offset.
  kReadError,
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
  Status error;  // kReadError only
};

}  // namespace holdfast::store
