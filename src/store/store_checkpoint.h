// The store's checkpoint file (`<root>/checkpoint`): one 4 KiB page. The first 40 bytes keep
// RocketMQ's layout (physicMsgTimestamp, logicsMsgTimestamp, indexMsgTimestamp,
// masterFlushedOffset, confirmPhyOffset); Holdfast adds the commit-log offsets recovery starts
// from and a CRC over the page, so a torn checkpoint is detected rather than trusted.
//
// Promise: after Flush() returns ok, a later Load() sees these values (or, if the page was torn
// by a crash during a later Flush, reports it invalid). Not thread-safe: one owner.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "store/file_system.h"

namespace holdfast::store {

class StoreCheckpoint {
 public:
  static constexpr size_t kPageSize = 4096;

  // Opens or creates the file. A missing, empty or torn page gives valid() == false and zeros.
  static Result<std::unique_ptr<StoreCheckpoint>> Open(FileSystem* fs, const std::string& path);

  bool valid() const { return valid_; }
  Status Flush();

  int64_t physic_msg_timestamp = 0;
  int64_t logics_msg_timestamp = 0;
  int64_t index_msg_timestamp = 0;
  int64_t master_flushed_offset = 0;
  int64_t confirm_phy_offset = 0;
  // Commit-log offset below which every byte was fdatasync'ed.
  int64_t physic_flushed_offset = 0;
  // Commit-log offset below which every record's consume-queue entry was fdatasync'ed.
  int64_t logics_flushed_offset = 0;
  // Commit-log offset below which every record's index entries were fdatasync'ed.
  int64_t index_flushed_offset = 0;

 private:
  explicit StoreCheckpoint(std::unique_ptr<File> file) : file_(std::move(file)) {}

  std::unique_ptr<File> file_;
  bool valid_ = false;
};

}  // namespace holdfast::store
