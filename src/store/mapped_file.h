// One fixed-size segment of a MappedFileQueue (a commit-log or consume-queue file), named by the
// 20-digit decimal offset of its first byte. The name keeps RocketMQ's; the implementation uses
// positional writes through the FileSystem seam rather than mmap, so a fault-injecting file
// system sees every byte and every sync (docs/durability.md explains the measurements behind it).
//
// A segment reads as `size` bytes; bytes past the physical end of the file read as zeros. The
// physical file may be shorter than the segment: it grows as it is written, or ahead of the
// writer by zero-filling (EnsureFilled), so that later fdatasyncs flush data only.
//
// How a segment's bytes reach its file is chosen when it is opened (Access):
// - kPositional: pwrite/pread. The SYNC_FLUSH commit log, because an fdatasync after a pwrite into
//   a pre-zeroed file measured faster than after stores through a mapping.
// - kMapped: every block reserved (fallocate) at open and the segment memory-mapped whole: writes
//   and reads are memory copies, no system calls. The ASYNC_FLUSH commit log.
// - kMappedGrowing: memory-mapped whole, but the file holds only what was written, plus blocks
//   reserved a step ahead of the writer (reservation_step.h), so a segment of a few entries takes
//   a block of disk, not its full size. Writes are memory copies (a reservation now and then);
//   reads are positional, so they fault nothing into the process, and a Sync unmaps the pages
//   below what it covered: the only pages resident are those the writer is on. Consume queues,
//   for their many 20-byte writes and because a broker has thousands of them.
//
// Thread safety: Read, Write of disjoint ranges and Sync may run concurrently. EnsureFilled may be
// called by the writer and by the allocator filling ahead of it at the same time (they take turns);
// Truncate is for the single writer of the segment.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"
#include "store/file_system.h"

namespace holdfast::store {

class MappedFile {
 public:
  // "00000000001073741824" for 1 GiB.
  static std::string FileName(int64_t start_offset);

  enum class Access { kPositional, kMapped, kMappedGrowing };

  // Opens the segment file dir/FileName(start_offset), creating it when create is true. Reads
  // nothing and faults nothing in.
  static Result<std::unique_ptr<MappedFile>> Open(FileSystem* fs, const std::string& dir,
                                                  int64_t start_offset, int64_t size, bool create,
                                                  Access access = Access::kPositional);

  int64_t start_offset() const { return start_offset_; }
  int64_t end_offset() const { return start_offset_ + size_; }
  int64_t size() const { return size_; }
  const std::string& path() const { return file_->path(); }
  // Bytes of the segment backed by the physical file (zero-filled, reserved or written).
  int64_t filled() const { return filled_.load(std::memory_order_acquire); }

  // Writes data at pos (relative to the segment start); pos + data.size() must be <= size().
  // kMappedGrowing: reserves blocks first when the write reaches past filled(), so a full disk is
  // an error here (NoSpace), never a SIGBUS.
  Status Write(int64_t pos, std::string_view data);
  // Reads n bytes at pos (relative); bytes past the physical file end read as zeros. Fails only
  // on an I/O error, or InvalidArgument when the range leaves the segment.
  Status Read(int64_t pos, size_t n, char* buf) const;
  // fdatasync: every write before the call is durable when it returns ok. kMappedGrowing: then
  // unmaps the whole pages below the end of the writes it covered (their bytes stay in the file
  // and the page cache), so only the writer's page stays in the process.
  Status Sync();
  // For a mapped segment: faults its pages in up to `end` (relative), from where the last call
  // stopped (see MappedRegion::Populate). One caller at a time (the allocator's thread).
  void PopulateTo(int64_t end);
  // For the writer, after writing up to `pos`: when fewer than `window` bytes past pos have been
  // asked for, asks for up to pos + 2 * window and returns that end (to pass to whoever prepares
  // the segment ahead: PopulateTo for a mapped segment, EnsureFilled for a positional one); else
  // 0. So each window is asked for once, and nothing below pos is.
  int64_t ClaimPrepareAhead(int64_t pos, int64_t window);
  // Lets the page cache drop this segment's whole pages below `end` (relative), from where the
  // last call stopped: unmapped (a mapped segment) and dropped (File::DropCache). Only for bytes
  // that are synced and that nobody writes again. Readers still see the same bytes, from the disk.
  // Returns the bytes newly let go.
  int64_t ReleaseCacheTo(int64_t end);
  // Zero-fill writes at most this many bytes per write. The page cache sizes a new folio by the
  // write that creates it; every later small write into a folio walks all of its blocks, so a
  // segment zero-filled in 1 MiB writes measured 1.0 us per 1 KiB record pwrite and one filled
  // in 64 KiB writes 0.6 us (4 MiB writes: 2.8 us), on Linux 6.18 ext4.
  static constexpr size_t kZeroFillPiece = 64 << 10;
  // Zero-fill hands its bytes to the disk this many at a time (File::WriteBack), so the appenders'
  // fdatasyncs of the segment being written queue behind at most this much of it. Measured with
  // a 32 KiB write + fdatasync loop beside a 4 MiB-step fill, on this kind of VM: without it the
  // loop's p99 was 1.1-1.8 ms (p99.9 3-3.8 ms) and the fill ran at 470-940 MB/s; with 256 KiB
  // pieces, p99 0.3-0.5 ms (p99.9 0.8 ms) at 470-760 MB/s, still well above the rate a SYNC_FLUSH
  // store appends at here; 64 KiB pieces gave p99 0.25 ms but filled at only 230 MB/s. In the
  // store (`bench store`, SYNC_FLUSH, 64 in flight, 8 s windows that include fills): 220k/s, p99
  // 1.25-1.33 ms, p99.9 3.9 ms without; 232-238k/s, p99 0.8-1.2 ms, p99.9 1.9-2.0 ms with.
  static constexpr int64_t kZeroFillWriteBack = 256 << 10;
  // Zero-fills the physical file from filled() up to at least pos_end (in steps of `chunk`, at most
  // to size()), writing it back as it goes (kZeroFillWriteBack), and syncs it, so writes below
  // that point change no file metadata. Returns at once when that much is filled already; while
  // another thread fills, waits for it first.
  Status EnsureFilled(int64_t pos_end, int64_t chunk);
  // Cuts the file at pos (relative; a kMapped segment is zeroed from there instead) and syncs:
  // everything from pos on reads as zeros.
  Status Truncate(int64_t pos);

 private:
  MappedFile(std::unique_ptr<File> file, std::unique_ptr<MappedRegion> region, Access access,
             int64_t start_offset, int64_t size, int64_t filled)
      : file_(std::move(file)),
        region_(std::move(region)),
        access_(access),
        start_offset_(start_offset),
        size_(size),
        filled_(filled) {}

  // kMappedGrowing: reserves blocks so that at least [0, end) is backed (the writer's).
  Status ReserveTo(int64_t end);
  struct Range {
    int64_t from;
    int64_t to;
  };
  // Unmaps the whole pages below end (of a mapped segment) from where the last call stopped, for
  // Sync and ReleaseCacheTo; returns what was newly let go (empty when nothing was).
  Range UnmapTo(int64_t end);

  const std::unique_ptr<File> file_;
  const std::unique_ptr<MappedRegion> region_;  // null for kPositional
  const Access access_;
  const int64_t start_offset_;
  const int64_t size_;
  std::atomic<int64_t> filled_;
  std::atomic<int64_t> written_{0};          // kMappedGrowing: the end of the furthest write
  std::mutex fill_mu_;                       // held while zero-filling (EnsureFilled)
  std::atomic<int64_t> populated_{0};        // mapped: pages below it were populated
  std::atomic<int64_t> prepare_claimed_{0};  // asked for up to here (ClaimPrepareAhead)
  std::atomic<int64_t> cache_released_{0};   // pages below it were let go (UnmapTo)
};

}  // namespace holdfast::store
