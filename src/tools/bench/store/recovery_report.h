// Part d)'s table: one column per recovery size, one row per step and figure, notes under it.
#pragma once

#include <ostream>
#include <vector>

#include "tools/bench/store/crash_recovery.h"

namespace holdfast::tools::store_bench {

void PrintRecovery(const std::vector<RecoveryResult>& results, std::ostream& out);

}  // namespace holdfast::tools::store_bench
