// What one consume-queue append and one index-slot store cost under each way of giving a file its
// disk blocks, measured on the disk under test with plain system calls (no store code): the figures
// behind the choices in store/mapped_file.h (consume-queue segments grown as written) and
// store/reserved_pages.h (index files reserved page by page). Part of `holdfast bench queues`.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "common/status.h"

namespace holdfast::tools {

// How the blocks under the stores are found.
enum class BlockReservation {
  kWhole,             // posix_fallocate of the whole file first, then stores through a mapping
  kSparse,            // a sparse file of full length: page faults allocate (SIGBUS on a full disk)
  kGrowDoubling,      // posix_fallocate ahead of the writer, as store::NextReservationEnd does
  kGrowPage,          // posix_fallocate of one 4 KiB page at a time, when the writer reaches it
  kPageOnFirstTouch,  // posix_fallocate of each page before its first store (random stores)
  kPwrite,            // no mapping: one pwrite per store, the file grows or fills its holes
};

std::string_view BlockReservationName(BlockReservation r);

struct AppendCost {
  BlockReservation reservation = BlockReservation::kWhole;
  double ns_per_store = 0;  // median over the rounds, the reservations included
  double sync_ms = 0;       // the fdatasync after the last store (median)
  int64_t disk_bytes = 0;   // st_blocks * 512 afterwards
};

struct AppendCostOptions {
  std::string dir;  // a directory on the disk under test; files are made and removed in it
  int rounds = 3;   // fresh files per case; the median is reported
  // Sequential appends: one consume-queue segment (mappedFileSizeConsumeQueue) of 20-byte entries.
  int64_t segment_bytes = 300000LL * 20;
  // Random 4-byte stores into an index file's slot table (maxHashSlotNum slots).
  int64_t slot_table_bytes = 5000000LL * 4;
  int slot_stores = 100000;
};

// 20-byte entries appended in order until the segment is full, for kWhole, kSparse, kGrowDoubling,
// kGrowPage and kPwrite.
[[nodiscard]] Result<std::vector<AppendCost>> MeasureQueueAppends(const AppendCostOptions& o);
// 4-byte stores at random slots, for kWhole, kSparse, kPageOnFirstTouch and kPwrite.
[[nodiscard]] Result<std::vector<AppendCost>> MeasureSlotStores(const AppendCostOptions& o);

// Both measurements as two tables under one section title; errors are printed in their place.
void PrintAppendCosts(const AppendCostOptions& o, std::ostream& out);

}  // namespace holdfast::tools
