// The outcome of an append, with RocketMQ's PutMessageStatus names. Only the first four mean the
// message is in the log; of those only PUT_OK means every promise of the flush mode was kept
// (docs/durability.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace holdfast::store {

enum class PutMessageStatus {
  kPutOk,
  kFlushDiskTimeout,     // stored; durability not confirmed within syncFlushTimeout
  kFlushSlaveTimeout,    // stored; replication not confirmed in time
  kSlaveNotAvailable,    // stored; no slave to replicate to
  kServiceNotAvailable,  // not stored: store shut down, or stopped after a failed sync/write
  kCreateMappedFileFailed,
  kMessageIllegal,          // not stored: bad topic, oversize body or record
  kPropertiesSizeExceeded,  // not stored
  kOsPageCacheBusy,
  kUnknownError,
};

std::string_view PutMessageStatusName(PutMessageStatus status);

// True for the statuses under which the message was written to the commit log.
inline bool IsStored(PutMessageStatus s) {
  return s == PutMessageStatus::kPutOk || s == PutMessageStatus::kFlushDiskTimeout ||
         s == PutMessageStatus::kFlushSlaveTimeout || s == PutMessageStatus::kSlaveNotAvailable;
}

struct AppendMessageResult {
  int64_t wrote_offset = 0;   // commit-log offset of the first record
  int32_t wrote_bytes = 0;    // bytes of all records written
  int64_t logics_offset = 0;  // queue offset of the first message
  int64_t store_timestamp = 0;
  int32_t msg_num = 0;
};

struct PutMessageResult {
  PutMessageStatus status = PutMessageStatus::kUnknownError;
  AppendMessageResult append;
  std::string error;  // for failures: what was wrong, naming the field, file or limit

  bool ok() const { return status == PutMessageStatus::kPutOk; }
};

}  // namespace holdfast::store
