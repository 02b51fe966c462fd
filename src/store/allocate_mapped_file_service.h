// Prepares commit-log segments in the background (RocketMQ's AllocateMappedFileService), so the
// writer never waits for block allocation and every fdatasync flushes data only.
//
// A positional segment (SYNC_FLUSH) is zero-filled and synced a window at a time ahead of the
// writer: the next segment is created with its first kFillStep bytes filled, and the rest is
// filled as the writer comes near (PrepareAhead, kFillAheadWindow). Filling a whole 1 GiB segment
// before handing it out made the first send on a new store wait seconds for it (longer than a
// producer's 3 s timeout on a busy machine), and filling it at once on every start competed with
// the first sends for the disk; ahead of the writer, the disk does the same work, spread over the
// time the data takes to arrive, and a new store holds only what it needs.
//
// A memory-mapped segment (ASYNC_FLUSH) gets its blocks reserved instead, and its pages faulted
// in a window at a time ahead of the writer (PrepareAhead, kPopulateWindow): the first window
// before it is handed out, the rest as the writer comes near. Populating a whole segment at once
// would make an idle broker's resident memory the segment's size.
//
// It also lets go of the cached pages the commit log no longer needs (ReleaseCache), before
// populating, so that the pages it populates are the ones just freed.
//
// Threads: one service thread does the filling, populating and releasing. Request(), Take() and
// PrepareAhead() are called by the commit log's writer (under its put lock), ReleaseCache() by
// whoever completes a flush; Take() blocks while the requested segment is being created (one
// kFillStep). The writer may fill a segment itself when it gets ahead of this thread
// (MappedFile::EnsureFilled lets them take turns).
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
  // The prepared segment at start_offset, waiting while it is requested or being created (one
  // kFillStep); nullptr when it was never requested, could not be prepared, or the service shut
  // down first (the caller then creates it itself).
  std::unique_ptr<MappedFile> Take(int64_t start_offset);
  // Asks for `file` to be prepared up to `end` (relative): populated (MappedFile::PopulateTo) or
  // zero-filled (MappedFile::EnsureFilled). Replaces an earlier request that has not finished.
  void PrepareAhead(std::shared_ptr<MappedFile> file, int64_t end);
  // How far ahead of the writer PrepareAhead is asked to keep a segment prepared.
  int64_t window() const { return mapped_ ? kPopulateWindow : kFillAheadWindow; }

  // Asks for the cached pages of `files` below the absolute offset `end` to be let go
  // (MappedFile::ReleaseCacheTo). Adds to an earlier request that has not started.
  void ReleaseCache(std::vector<std::shared_ptr<MappedFile>> files, int64_t end);

  static constexpr int64_t kPopulateWindow = 8 << 20;
  // Zero-fill runs in synced steps of this size: on ext4 (data=ordered) an appender's fdatasync
  // commits the journal, which first writes out every dirty block of newly allocated extents, ours
  // included; 4 MiB at a time keeps that wait to a millisecond or two. Between steps the thread
  // looks for other work (a segment the writer waits for, a shutdown).
  static constexpr int64_t kFillStep = 4 << 20;
  // The writer asks for 2 windows ahead whenever less than one is left (ClaimPrepareAhead): at
  // the 300 MB/s a SYNC_FLUSH store appends at here, 64 MiB is 0.2 s of appends, and the fill runs
  // at 470-760 MB/s (MappedFile::kZeroFillWriteBack), so the writer does not catch up.
  static constexpr int64_t kFillAheadWindow = 64 << 20;

 protected:
  void Run() override;
  void OnShutdown() override;

 private:
  // Creates the segment at `offset` with its first window prepared, and hands it to Take().
  void CreateSegment(int64_t offset);
  // One step of the PrepareAhead request, if there is one; false when there was none.
  bool PrepareStep();

  FileSystem* const fs_;
  const std::string dir_;
  const int64_t file_size_;
  const bool mapped_;

  std::mutex mu_;
  std::condition_variable done_cv_;
  std::optional<int64_t> requested_;          // guarded by mu_
  std::optional<int64_t> in_progress_;        // guarded by mu_
  std::unique_ptr<MappedFile> ready_;         // guarded by mu_
  std::shared_ptr<MappedFile> prepare_file_;  // guarded by mu_: a PrepareAhead request
  int64_t prepare_end_ = 0;                   // guarded by mu_
  std::vector<std::shared_ptr<MappedFile>>
      release_files_;        // guarded by mu_: a ReleaseCache request
  int64_t release_end_ = 0;  // guarded by mu_
};

}  // namespace holdfast::store
