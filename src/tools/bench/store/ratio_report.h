// Part c) of the store benchmark: the store's figures as fractions of the disk's and CPU's
// limits, against their targets (PASS / MISS).
#pragma once

#include <ostream>
#include <vector>

#include "tools/bench/store/append_case.h"
#include "tools/bench/store/disk_limits_report.h"

namespace holdfast::tools::store_bench {

// `have_limits`: part a) ran (a missing limit then means it failed, not that it was skipped).
void PrintRatios(const DiskLimits& limits, bool have_limits, const std::vector<CaseResult>& cases,
                 std::ostream& out);

}  // namespace holdfast::tools::store_bench
