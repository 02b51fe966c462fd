// Part b)'s tables: each case's throughput, latency and lags, and where its CPU went.
#pragma once

#include <ostream>
#include <vector>

#include "tools/bench/store/append_case.h"

namespace holdfast::tools::store_bench {

// The cases of flush mode `mode`: one row each, then a note under the table for each failure and
// each status other than PUT_OK.
void PrintCases(const std::vector<CaseResult>& cases, store::FlushDiskType mode, std::ostream& out);

// Where each case's CPU went, per PUT_OK, by thread: the appending threads (which also make the
// messages, as a broker's threads decode them), then the store's service threads.
void PrintCpu(const std::vector<CaseResult>& cases, store::FlushDiskType mode, std::ostream& out);

}  // namespace holdfast::tools::store_bench
