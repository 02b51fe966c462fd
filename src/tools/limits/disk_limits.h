// The physical limits of the disk and CPU under the store, measured in the same run as the store's
// benchmark so that its figures can be read as a fraction of what the machine can do.
//
// Every Measure* function works in `dir` (a directory on the disk under test) through plain POSIX
// calls, not the store's file-system seam: the point is the raw disk. Each creates its own scratch
// file(s) named holdfast-disk-limits-*.tmp and removes them before returning, on success and on
// error. Errors come back as a Status naming the file and the call that failed (kNoSpace when the
// disk is full, kInvalidArgument for sizes that cannot work); nothing throws.
//
// The functions are independent and may be called from any thread, but two measurements running at
// once on one disk measure each other. Each takes about `duration` plus the time to prepare its
// file (pre-zeroing 256 MiB is a sequential write of 256 MiB and one sync).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace holdfast::tools {

inline constexpr size_t kMiB = size_t{1} << 20;
inline constexpr std::chrono::milliseconds kDefaultMeasureDuration{2000};
// The size of the region a measurement writes into before it stops (or, for MeasureMemcpyCrc,
// wraps round).
inline constexpr size_t kDefaultRegionBytes = 256 * kMiB;

// How the file a measurement writes into is prepared. The journal work an fdatasync has to do
// differs: none for overwriting written blocks, a size update for appending, an extent conversion
// for writing into fallocated (unwritten) blocks.
enum class FileMode {
  kPreZeroed,   // Zeros written over the whole region and synced; writes then overwrite them.
  kGrowing,     // An empty file; each write appends, extending the file.
  kFallocated,  // fallocate() of the whole region, synced; writes land in unwritten extents.
};

// "pre-zeroed", "growing" or "fallocated".
std::string_view FileModeName(FileMode mode);

struct SyncWriteStats {
  FileMode mode = FileMode::kPreZeroed;
  size_t record_size = 0;
  uint64_t ops = 0;    // pwrite + fdatasync pairs completed
  double seconds = 0;  // measured time, from the first pwrite to the last fdatasync's return
  double ops_per_sec = 0;
  // Latency of one pwrite + fdatasync pair, in microseconds.
  double p50_us = 0;
  double p99_us = 0;
  double p999_us = 0;
  double mean_us = 0;
  double max_us = 0;
  bool region_exhausted = false;  // stopped because the region was used up before `duration`
};

// One writer, one record per sync: pwrite `record_size` bytes at the next offset, fdatasync,
// repeat, until `duration` has passed or the next record would not fit in `region_bytes`.
[[nodiscard]] Result<SyncWriteStats> MeasureWriteFdatasync(
    const std::filesystem::path& dir, FileMode mode, size_t record_size = 1024,
    std::chrono::milliseconds duration = kDefaultMeasureDuration,
    size_t region_bytes = kDefaultRegionBytes);

struct BatchSyncStats {
  FileMode mode = FileMode::kPreZeroed;
  int batch = 0;
  size_t record_size = 0;
  uint64_t messages = 0;  // records written and synced
  uint64_t syncs = 0;
  double seconds = 0;
  double messages_per_sec = 0;
  double syncs_per_sec = 0;
  // Latency of the fdatasync alone, and of a whole round (the `batch` pwrites and the fdatasync).
  double sync_p50_us = 0;
  double sync_p99_us = 0;
  double round_p50_us = 0;
  bool region_exhausted = false;
};

// The ideal group commit for `batch` appenders: `batch` separate pwrites of `record_size` bytes at
// consecutive offsets, then one fdatasync, repeated until `duration` has passed or the next round
// would not fit in `region_bytes`. At a few hundred thousand records/s the default 256 MiB lasts
// about a second; pass a larger region for a longer run.
[[nodiscard]] Result<BatchSyncStats> MeasureBatchFdatasync(
    const std::filesystem::path& dir, int batch, size_t record_size,
    std::chrono::milliseconds duration = kDefaultMeasureDuration,
    FileMode mode = FileMode::kPreZeroed, size_t region_bytes = kDefaultRegionBytes);

struct BandwidthStats {
  size_t total_bytes = 0;
  size_t chunk = 0;
  double seconds = 0;        // write_seconds + sync_seconds
  double write_seconds = 0;  // the pwrites into the page cache
  double sync_seconds = 0;   // the final fdatasync
  double mb_per_sec = 0;     // total_bytes / seconds, in MB (10^6 bytes) per second
};

// Sequential bandwidth: pwrite `total_bytes` into a new, growing file in `chunk`-sized pieces, then
// one fdatasync; the rate includes the sync.
[[nodiscard]] Result<BandwidthStats> MeasureSequentialWrite(const std::filesystem::path& dir,
                                                            size_t total_bytes = 512 * kMiB,
                                                            size_t chunk = kMiB);

struct MemcpyCrcStats {
  size_t record_size = 0;
  uint64_t ops = 0;
  double seconds = 0;
  double ops_per_sec = 0;
  double ns_per_op = 0;
  double mb_per_sec = 0;  // ops * record_size, in MB (10^6 bytes) per second
};

// The CPU-bound upper limit of an append that reaches the page cache: a file of `region_bytes` is
// mapped MAP_SHARED and every page touched first (page faults are not measured); then each op
// memcpys one `record_size` record into the next slot and computes holdfast::Crc32 of the slot,
// wrapping round to the first slot at the end of the mapping, until `duration` has passed. Nothing
// is synced.
[[nodiscard]] Result<MemcpyCrcStats> MeasureMemcpyCrc(
    const std::filesystem::path& dir, size_t record_size = 1024,
    std::chrono::milliseconds duration = kDefaultMeasureDuration,
    size_t region_bytes = kDefaultRegionBytes);

}  // namespace holdfast::tools
