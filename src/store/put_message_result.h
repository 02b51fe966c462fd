// The outcome of an append, with RocketMQ's PutMessageStatus names and one of our own
// (FLUSH_DISK_FAILED). Only the first four mean the message is stored; of those only PUT_OK means
// every promise of the flush mode was kept (docs/durability.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace holdfast::store {

enum class PutMessageStatus {
  kPutOk,
  // Stored (written to the commit log, in the page cache); the sync covering it was still running
  // at syncFlushTimeout, or finished only after it. Not a failed sync: that is kFlushDiskFailed.
  kFlushDiskTimeout,
  kFlushSlaveTimeout,    // stored; replication not confirmed in time
  kSlaveNotAvailable,    // stored; no slave to replicate to
  kServiceNotAvailable,  // not stored: store shut down, or stopped after a failed sync/write
  kCreateMappedFileFailed,
  kMessageIllegal,          // not stored: bad topic, oversize body or record
  kPropertiesSizeExceeded,  // not stored
  kOsPageCacheBusy,
  kUnknownError,
  // Holdfast's own: not stored. The sync (or the write before it) that had to make this message
  // durable failed; `error` has the cause. The record may or may not survive a crash, and every
  // later append fails until the store is reopened. The broker answers it SYSTEM_ERROR.
  kFlushDiskFailed,
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
