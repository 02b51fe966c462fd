// How far ahead of an appender a file that grows as written reserves its disk blocks: consume-queue
// segments (MappedFile::Access::kMappedGrowing) and the entries of an index file. Their bytes are
// stored through a memory mapping, where a store into a page without blocks on a full disk is
// SIGBUS; with blocks reserved (posix_fallocate) before the appender gets there, a full disk is
// NoSpace from File::Allocate instead, an error the appender returns.
#pragma once

#include <algorithm>
#include <cstdint>

namespace holdfast::store {

// The first reservation is one block; each later one as large as what is reserved already, up to
// kReservationStepMax. So a queue of a few entries takes one 4 KiB block, not a 5.7 MiB segment,
// and at most about kReservationStepMax (or as much again as the file holds, when that is less)
// lies reserved past the last entry: the most a restart reads to find a queue's end
// (ConsumeQueue::Load) and the most disk a queue holds unused.
//
// What an append costs, measured with `holdfast bench queues` (its append part: raw system calls,
// 300,000 20-byte entries filling one 6,000,000-byte segment, then one fdatasync; median of 7
// fresh files per case; Linux 6.18 ext4 on a 2-core VM whose other helpers kept the load at 5-9,
// so figures moved by 1.5x between runs; each row of a run beside the first row of that run):
//   blocks reserved whole first, stores through a mapping      42-68 ns a store
//   sparse, page faults allocating the blocks                  41-86 ns (SIGBUS on a full disk)
//   reserved ahead, 4 KiB doubling to 64 KiB (this)            1.2-2.0x the first row
//   reserved ahead, 4 KiB doubling to 1 MiB                    0.8-1.5x the first row
//   reserved one 4 KiB page at a time                          1.6-3.6x the first row
//   one pwrite a store                                         30-42x the first row
// and the fdatasync after the segment took 7-31 ms in every mapped case. A reservation costs a
// journal transaction (tens to a couple of hundred microseconds here), so one per 64 KiB (3,276
// entries) adds 10-70 ns an entry, next to the microseconds a message's dispatch takes. Larger
// steps cost less a store but let a restart read, and a queue hold, up to the step of zeros past
// each queue's end: 1 MiB for each of 10,000 busy queues is 10 GiB read at start. Reserving a page
// at a time fragments the file into one extent per block. Sparse is as fast but turns a full disk
// into a crash.
inline constexpr int64_t kReservationStepMin = 4 << 10;
inline constexpr int64_t kReservationStepMax = 64 << 10;

// Where to reserve up to, when bytes up to `needed` must be backed and those below `reserved` are:
// to `needed` and at least the step above past `reserved`, rounded up to whole blocks, at most
// `limit` (the file's full size).
inline int64_t NextReservationEnd(int64_t reserved, int64_t needed, int64_t limit) {
  const int64_t step = std::clamp(reserved, kReservationStepMin, kReservationStepMax);
  const int64_t to = std::max(needed, reserved + step);
  return std::min(limit,
                  (to + kReservationStepMin - 1) / kReservationStepMin * kReservationStepMin);
}

}  // namespace holdfast::store
