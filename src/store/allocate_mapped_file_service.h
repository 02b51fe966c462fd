// Prepares the next commit-log segment in the background (RocketMQ's AllocateMappedFileService):
// creates it, zero-fills it to full size and syncs it, so the writer never waits for block
// allocation and every later fdatasync on it flushes data only.
//
// A memory-mapped segment (ASYNC_FLUSH) gets its blocks reserved instead, and its pages faulted
// in a window at a time ahead of the writer (PopulateAhead): the first kPopulateWindow bytes
// before it is handed out, the rest as the writer comes near. Populating a whole segment at once
// would make an idle broker's resident memory the segment's size.
//
// It also lets go of the cached pages the commit log no longer needs (ReleaseCache), before
// populating, so that the pages it populates are the ones just freed.
//
// Threads: one service thread does the filling, populating and releasing. Request(), Take() and
// PopulateAhead() are called by the commit log's writer (under its put lock), ReleaseCache() by
// whoever completes a flush; Take() blocks while the requested segment is being filled.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/service_thread.h"
#include "store/file_system.h"
#include "store/mapped_file.h"

namespace holdfast::store {

class AllocateMappedFileService : public ServiceThread {
 public:
  // `mapped`: hand out segments memory-mapped (see MappedFile).
  AllocateMappedFileService(FileSystem* fs, std::string dir, int64_t file_size, bool mapped);
  ~AllocateMappedFileService() override;

  // Asks for the segment at start_offset to be prepared. Replaces an earlier request that has
  // not started; a prepared segment that is never taken stays on disk as an empty segment,
  // which recovery treats as the end of the log.
  void Request(int64_t start_offset);
  // The prepared segment at start_offset, waiting while it is being filled; nullptr when it was
  // never requested or could not be prepared (the caller then creates it itself).
  std::unique_ptr<MappedFile> Take(int64_t start_offset);
  // Asks for `file`'s pages to be populated up to `end` (relative; see MappedFile::PopulateTo).
  // Replaces an earlier request that has not started.
  void PopulateAhead(std::shared_ptr<MappedFile> file, int64_t end);

  // Asks for the cached pages of `files` below the absolute offset `end` to be let go
  // (MappedFile::ReleaseCacheTo). Adds to an earlier request that has not started.
  void ReleaseCache(std::vector<std::shared_ptr<MappedFile>> files, int64_t end);

  static constexpr int64_t kPopulateWindow = 8 << 20;

 protected:
  void Run() override;

 private:
  FileSystem* const fs_;
  const std::string dir_;
  const int64_t file_size_;
  const bool mapped_;

  std::mutex mu_;
  std::condition_variable done_cv_;
  std::optional<int64_t> requested_;           // guarded by mu_
  std::optional<int64_t> in_progress_;         // guarded by mu_
  std::unique_ptr<MappedFile> ready_;          // guarded by mu_
  std::shared_ptr<MappedFile> populate_file_;  // guarded by mu_: a PopulateAhead request
  int64_t populate_end_ = 0;                   // guarded by mu_
  std::vector<std::shared_ptr<MappedFile>>
      release_files_;        // guarded by mu_: a ReleaseCache request
  int64_t release_end_ = 0;  // guarded by mu_
};

}  // namespace holdfast::store
