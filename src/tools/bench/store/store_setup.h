// How every part of the store benchmark sets up what it measures: the store's configuration for a
// case, and a quiet file system before each measurement.
#pragma once

#include <filesystem>

#include "store/message_store_config.h"
#include "tools/bench/store/store_benchmark_options.h"

namespace holdfast::tools::store_bench {

// MessageStoreConfig's defaults with the store in `dir`, the flush mode `mode` and the index as
// the options say.
store::MessageStoreConfig StoreConfig(const std::filesystem::path& dir, store::FlushDiskType mode,
                                      const StoreBenchmarkOptions& o);

// Makes the file system under `dir` write back and commit everything pending (syncfs). Called
// before each measurement so that it does not pay for the previous one's writes and deletions: on
// a file system mounted with `discard`, the journal commit after deleting gigabytes of benchmark
// files issues their discards, and an fdatasync caught behind it took milliseconds instead of
// 100 us. Best effort: a failure only leaves that noise in.
void Settle(const std::filesystem::path& dir);

}  // namespace holdfast::tools::store_bench
