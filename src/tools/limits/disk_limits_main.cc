// holdfast_disk_limits [dir] [seconds]: prints the disk's and CPU's limits measured in `dir`
// (default: the current directory), each measurement running for `seconds` (default 2).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "tools/limits/disk_limits.h"
#include "tools/limits/machine_description.h"

namespace {

using holdfast::tools::FileMode;
using holdfast::tools::FileModeName;
using holdfast::tools::kMiB;

// Enough for 64-record batches at ~300k records/s for a few seconds.
constexpr size_t kBatchRegionBytes = 1024 * kMiB;

int Fail(const holdfast::Status& status) {
  fmt::print(stderr, "holdfast_disk_limits: {}\n", status.ToString());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path dir = argc > 1 ? argv[1] : ".";
  const double seconds = argc > 2 ? std::atof(argv[2]) : 2.0;
  if (seconds <= 0) {
    fmt::print(stderr, "usage: holdfast_disk_limits [dir] [seconds > 0]\n");
    return 2;
  }
  const auto duration = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));

  fmt::print("machine: {}\n", holdfast::tools::DescribeMachine(dir));

  for (FileMode mode : {FileMode::kPreZeroed, FileMode::kGrowing, FileMode::kFallocated}) {
    auto r = holdfast::tools::MeasureWriteFdatasync(dir, mode, 1024, duration);
    if (!r.ok()) return Fail(r.status());
    fmt::print(
        "1 KiB pwrite+fdatasync, {:<10}: {:>8.0f} ops/s  p50 {:>7.1f} us  p99 {:>7.1f} us  "
        "p99.9 {:>8.1f} us  max {:>8.1f} us  ({} ops in {:.2f} s{})\n",
        FileModeName(mode), r->ops_per_sec, r->p50_us, r->p99_us, r->p999_us, r->max_us, r->ops,
        r->seconds, r->region_exhausted ? ", region used up" : "");
    std::fflush(stdout);
  }

  for (int batch : {8, 64}) {
    auto r = holdfast::tools::MeasureBatchFdatasync(dir, batch, 1024, duration,
                                                    FileMode::kPreZeroed, kBatchRegionBytes);
    if (!r.ok()) return Fail(r.status());
    fmt::print(
        "{:>2} x 1 KiB pwrite + fdatasync, pre-zeroed: {:>8.0f} msgs/s  {:>6.0f} syncs/s  "
        "sync p50 {:>7.1f} us  p99 {:>7.1f} us  round p50 {:>7.1f} us  ({:.2f} s{})\n",
        batch, r->messages_per_sec, r->syncs_per_sec, r->sync_p50_us, r->sync_p99_us,
        r->round_p50_us, r->seconds, r->region_exhausted ? ", region used up" : "");
    std::fflush(stdout);
  }

  {
    auto r = holdfast::tools::MeasureSequentialWrite(dir);
    if (!r.ok()) return Fail(r.status());
    fmt::print(
        "sequential write {} MiB in {} KiB chunks + fdatasync: {:.0f} MB/s  (write {:.2f} s, "
        "sync {:.2f} s)\n",
        r->total_bytes / kMiB, r->chunk / 1024, r->mb_per_sec, r->write_seconds, r->sync_seconds);
    std::fflush(stdout);
  }

  {
    auto r = holdfast::tools::MeasureMemcpyCrc(dir, 1024, duration);
    if (!r.ok()) return Fail(r.status());
    fmt::print("1 KiB memcpy into mmap + Crc32: {:.0f} ops/s  {:.1f} ns/op  {:.0f} MB/s\n",
               r->ops_per_sec, r->ns_per_op, r->mb_per_sec);
  }
  return 0;
}
