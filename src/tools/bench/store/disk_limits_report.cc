// Each measurement runs for `seconds`, after a Settle of the directory. The batch loop (N pwrites
// + one fdatasync) is the ideal group commit for N appenders: what a store with zero overhead
// would reach with N concurrent SYNC_FLUSH writers.
#include "tools/bench/store/disk_limits_report.h"

#include <chrono>
#include <string_view>

#include <fmt/format.h>

#include "tools/bench/report_format.h"
#include "tools/bench/store/store_setup.h"

namespace holdfast::tools::store_bench {

namespace {

// The batch loop at 64 x 1 KiB runs at a few hundred thousand records/s on a fast disk; 1 GiB
// keeps it going for a few seconds (it stops early, and says so, when the region is used up).
constexpr size_t kBatchRegionBytes = 1024 * kMiB;

}  // namespace

bool RunDiskLimits(const std::filesystem::path& dir, double seconds, std::ostream& out,
                   DiskLimits* limits) {
  Section(out, "a) Physical limits of this disk and CPU, measured now in the same directory");
  const auto duration = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  bool ok = true;
  auto fail = [&](std::string_view what, const Status& s) {
    out << "  " << what << ": FAILED: " << s.ToString() << '\n' << std::flush;
    ok = false;
  };

  TextTable single({"1 KiB pwrite + fdatasync, 1 writer", "ops/s", "p50 us", "p99 us", "p99.9 us",
                    "max us", "note"});
  for (FileMode mode : {FileMode::kPreZeroed, FileMode::kGrowing}) {
    Settle(dir);
    auto r = MeasureWriteFdatasync(dir, mode, 1024, duration);
    if (!r.ok()) {
      fail(fmt::format("1 KiB write+fdatasync, {}", FileModeName(mode)), r.status());
      continue;
    }
    single.AddRow(
        {fmt::format("{} file", FileModeName(mode)), Thousands(r->ops_per_sec), Us(r->p50_us),
         Us(r->p99_us), Us(r->p999_us), Us(r->max_us),
         r->region_exhausted ? fmt::format("region used up at {:.2f} s", r->seconds) : ""});
    (mode == FileMode::kPreZeroed ? limits->prezeroed : limits->growing) = *r;
  }
  single.Print(out);
  out << '\n';

  TextTable batch({"ideal group commit: N x 1 KiB pwrite + 1 fdatasync (pre-zeroed)", "msgs/s",
                   "syncs/s", "sync p50 us", "sync p99 us", "round p50 us", "note"});
  for (int n : kBatchSizes) {
    Settle(dir);
    auto r = MeasureBatchFdatasync(dir, n, 1024, duration, FileMode::kPreZeroed, kBatchRegionBytes);
    if (!r.ok()) {
      fail(fmt::format("batch N={}", n), r.status());
      continue;
    }
    batch.AddRow(
        {fmt::format("N = {}", n), Thousands(r->messages_per_sec), Thousands(r->syncs_per_sec),
         Us(r->sync_p50_us), Us(r->sync_p99_us), Us(r->round_p50_us),
         r->region_exhausted ? fmt::format("region used up at {:.2f} s", r->seconds) : ""});
    limits->batch[n] = *r;
  }
  batch.Print(out);
  out << '\n';

  TextTable rates({"throughput", "rate", "detail"});
  Settle(dir);
  if (auto r = MeasureSequentialWrite(dir); r.ok()) {
    rates.AddRow(
        {fmt::format("sequential write, {} MiB in {} KiB chunks + fdatasync", r->total_bytes / kMiB,
                     r->chunk / 1024),
         fmt::format("{} MB/s", Thousands(r->mb_per_sec)),
         fmt::format("write {:.2f} s + sync {:.2f} s", r->write_seconds, r->sync_seconds)});
    limits->sequential = *r;
  } else {
    fail("sequential write", r.status());
  }
  Settle(dir);
  if (auto r = MeasureMemcpyCrc(dir, 1024, duration); r.ok()) {
    rates.AddRow({"memcpy 1 KiB into a mapped file + CRC32",
                  fmt::format("{} ops/s", Thousands(r->ops_per_sec)),
                  fmt::format("{:.1f} ns/op, {} MB/s", r->ns_per_op, Thousands(r->mb_per_sec))});
    limits->memcpy_crc = *r;
  } else {
    fail("memcpy+CRC32", r.status());
  }
  rates.Print(out);
  return ok;
}

}  // namespace holdfast::tools::store_bench
