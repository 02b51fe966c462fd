// What files take on the disk: their allocated blocks, not their lengths (a sparse file of 1 GiB
// with one page written takes 4 KiB).
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace holdfast {

// The bytes allocated to `path` (st_blocks * 512), and to everything below it when it is a
// directory (directories' own blocks included; symbolic links not followed). NotFound when path
// does not exist; an I/O error naming the entry that could not be read.
[[nodiscard]] Result<int64_t> DiskUsage(const std::string& path);

}  // namespace holdfast
