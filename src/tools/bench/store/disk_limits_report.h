// Part a) of the store benchmark: the disk's and CPU's limits (limits/disk_limits.h), measured in
// the same run and directory as the store, printed, and kept for the ratios of part c).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <ostream>

#include "tools/limits/disk_limits.h"

namespace holdfast::tools::store_bench {

// The appender counts N of the ideal group commit (N x 1 KiB pwrite + 1 fdatasync) measured.
inline constexpr int kBatchSizes[] = {1, 8, 64};

// What part a) measured; a measurement that failed is absent.
struct DiskLimits {
  std::optional<SyncWriteStats> prezeroed;
  std::optional<SyncWriteStats> growing;
  std::map<int, BatchSyncStats> batch;  // by N
  std::optional<BandwidthStats> sequential;
  std::optional<MemcpyCrcStats> memcpy_crc;
};

// Measures each limit for `seconds` in `dir` (a scratch directory beside the stores) and prints
// them to `out`; false when a measurement failed (it is printed as FAILED and left out of
// *limits).
bool RunDiskLimits(const std::filesystem::path& dir, double seconds, std::ostream& out,
                   DiskLimits* limits);

}  // namespace holdfast::tools::store_bench
