#include "tools/limits/disk_limits.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "common/crc32.h"
#include "store/mapped_file.h"
#include "tools/latency_recorder.h"

namespace holdfast::tools {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Upper bound on the samples reserved before a loop: enough for any realistic sync rate over a few
// seconds without reserving gigabytes for tiny records.
constexpr size_t kMaxReservedSamples = size_t{1} << 20;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double Micros(int64_t nanos) { return static_cast<double>(nanos) / 1e3; }

// A record that is not all zeros, so that no layer can tell it from real data.
std::string MakeRecord(size_t size) {
  std::string record(size, '\0');
  for (size_t i = 0; i < size; ++i) record[i] = static_cast<char>('a' + i % 26);
  return record;
}

// A file in the directory under test, closed and unlinked when this goes out of scope. Move-only.
class ScratchFile {
 public:
  static Result<ScratchFile> Create(const fs::path& dir, std::string_view tag) {
    static std::atomic<uint64_t> counter{0};
    fs::path path = dir / fmt::format("holdfast-disk-limits-{}-{}-{}.tmp", ::getpid(), tag,
                                      counter.fetch_add(1, std::memory_order_relaxed));
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return Status::FromErrno(errno, "open " + path.string());
    return ScratchFile(std::move(path), fd);
  }

  ScratchFile(ScratchFile&& other) noexcept
      : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}
  ScratchFile& operator=(ScratchFile&&) = delete;
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  ~ScratchFile() {
    if (fd_ < 0) return;
    ::close(fd_);
    ::unlink(path_.c_str());
  }

  int fd() const { return fd_; }
  const fs::path& path() const { return path_; }

  Status Error(std::string_view call) const {
    return Status::FromErrno(errno, fmt::format("{} {}", call, path_.string()));
  }

 private:
  ScratchFile(fs::path path, int fd) : path_(std::move(path)), fd_(fd) {}

  fs::path path_;
  int fd_ = -1;
};

// pwrite all of [data, data + size) at `offset`, retrying short writes and EINTR.
Status PwriteAll(const ScratchFile& file, const char* data, size_t size, off_t offset) {
  while (size > 0) {
    ssize_t n = ::pwrite(file.fd(), data, size, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return file.Error("pwrite");
    }
    data += n;
    size -= static_cast<size_t>(n);
    offset += n;
  }
  return Status::Ok();
}

Status Fdatasync(const ScratchFile& file) {
  return ::fdatasync(file.fd()) == 0 ? Status::Ok() : file.Error("fdatasync");
}

// Brings a new, empty file into the state `mode` describes, all of it durable (fsync, so that the
// file's creation and size are committed too and the first measured sync pays for neither).
Status PrepareFile(const ScratchFile& file, FileMode mode, size_t region_bytes) {
  switch (mode) {
    case FileMode::kPreZeroed: {
      // In the pieces the store zero-fills its segments with, which make the later small
      // writes cheapest (see MappedFile::kZeroFillPiece).
      const std::string zeros(std::min(region_bytes, store::MappedFile::kZeroFillPiece), '\0');
      for (size_t off = 0; off < region_bytes; off += zeros.size()) {
        size_t n = std::min(zeros.size(), region_bytes - off);
        HOLDFAST_RETURN_IF_ERROR(PwriteAll(file, zeros.data(), n, static_cast<off_t>(off)));
      }
      break;
    }
    case FileMode::kGrowing:
      break;
    case FileMode::kFallocated: {
      int rc = ::fallocate(file.fd(), 0, 0, static_cast<off_t>(region_bytes));
      if (rc != 0) return file.Error("fallocate");
      break;
    }
  }
  return ::fsync(file.fd()) == 0 ? Status::Ok() : file.Error("fsync");
}

Status CheckRecordFits(size_t record_size, size_t region_bytes) {
  if (record_size == 0 || record_size > region_bytes) {
    return Status::InvalidArgument(
        fmt::format("record size {} must be in [1, region {}]", record_size, region_bytes));
  }
  return Status::Ok();
}

}  // namespace

std::string_view FileModeName(FileMode mode) {
  switch (mode) {
    case FileMode::kPreZeroed:
      return "pre-zeroed";
    case FileMode::kGrowing:
      return "growing";
    case FileMode::kFallocated:
      return "fallocated";
  }
  return "unknown";
}

namespace {

// What one run of write-then-fdatasync rounds saw.
struct SyncRounds {
  uint64_t rounds = 0;
  double seconds = 0;
  bool region_exhausted = false;
  LatencyRecorder round_latency;  // writes + fdatasync, per round
  LatencyRecorder sync_latency;   // the fdatasync alone
};

// Rounds of `batch` record pwrites at the next offsets then one fdatasync, on a prepared scratch
// file, until `duration` passes or the region is used up. Shared by the single-writer and the
// group-commit measurements, so they differ only in the batch size.
Result<SyncRounds> RunSyncRounds(const fs::path& dir, FileMode mode, int batch, size_t record_size,
                                 std::chrono::milliseconds duration, size_t region_bytes) {
  if (batch <= 0) return Status::InvalidArgument(fmt::format("batch {} must be >= 1", batch));
  const size_t round_bytes = static_cast<size_t>(batch) * record_size;
  HOLDFAST_RETURN_IF_ERROR(CheckRecordFits(round_bytes, region_bytes));
  Result<ScratchFile> file = ScratchFile::Create(dir, batch == 1 ? "sync" : "batch");
  if (!file.ok()) return file.status();
  HOLDFAST_RETURN_IF_ERROR(PrepareFile(*file, mode, region_bytes));

  const std::string record = MakeRecord(record_size);
  SyncRounds out;
  const size_t max_rounds = std::min(region_bytes / round_bytes, kMaxReservedSamples);
  out.round_latency.Reserve(max_rounds);
  out.sync_latency.Reserve(max_rounds);
  size_t offset = 0;
  const Clock::time_point start = Clock::now();
  const Clock::time_point deadline = start + duration;
  Clock::time_point end = start;
  while (true) {
    if (offset + round_bytes > region_bytes) {
      out.region_exhausted = true;
      break;
    }
    const Clock::time_point t0 = Clock::now();
    for (int i = 0; i < batch; ++i) {
      HOLDFAST_RETURN_IF_ERROR(
          PwriteAll(*file, record.data(), record_size, static_cast<off_t>(offset)));
      offset += record_size;
    }
    const Clock::time_point sync_start = Clock::now();
    HOLDFAST_RETURN_IF_ERROR(Fdatasync(*file));
    end = Clock::now();
    out.sync_latency.Record(end - sync_start);
    out.round_latency.Record(end - t0);
    ++out.rounds;
    if (end >= deadline) break;
  }
  out.seconds = Seconds(end - start);
  return out;
}

}  // namespace

Result<SyncWriteStats> MeasureWriteFdatasync(const fs::path& dir, FileMode mode, size_t record_size,
                                             std::chrono::milliseconds duration,
                                             size_t region_bytes) {
  Result<SyncRounds> run = RunSyncRounds(dir, mode, 1, record_size, duration, region_bytes);
  if (!run.ok()) return run.status();
  const LatencySummary s = run->round_latency.Summarize();
  SyncWriteStats stats;
  stats.mode = mode;
  stats.record_size = record_size;
  stats.region_exhausted = run->region_exhausted;
  stats.ops = s.count;
  stats.seconds = run->seconds;
  stats.ops_per_sec = stats.seconds > 0 ? static_cast<double>(stats.ops) / stats.seconds : 0;
  stats.p50_us = s.p50_us();
  stats.p99_us = s.p99_us();
  stats.p999_us = s.p999_us();
  stats.mean_us = s.mean_us();
  stats.max_us = s.max_us();
  return stats;
}

Result<BatchSyncStats> MeasureBatchFdatasync(const fs::path& dir, int batch, size_t record_size,
                                             std::chrono::milliseconds duration, FileMode mode,
                                             size_t region_bytes) {
  Result<SyncRounds> run = RunSyncRounds(dir, mode, batch, record_size, duration, region_bytes);
  if (!run.ok()) return run.status();
  const LatencySummary sync = run->sync_latency.Summarize();
  BatchSyncStats stats;
  stats.mode = mode;
  stats.batch = batch;
  stats.record_size = record_size;
  stats.region_exhausted = run->region_exhausted;
  stats.syncs = sync.count;
  stats.messages = stats.syncs * static_cast<uint64_t>(batch);
  stats.seconds = run->seconds;
  if (stats.seconds > 0) {
    stats.messages_per_sec = static_cast<double>(stats.messages) / stats.seconds;
    stats.syncs_per_sec = static_cast<double>(stats.syncs) / stats.seconds;
  }
  stats.sync_p50_us = sync.p50_us();
  stats.sync_p99_us = sync.p99_us();
  stats.round_p50_us = Micros(run->round_latency.Percentile(0.50));
  return stats;
}

Result<BandwidthStats> MeasureSequentialWrite(const fs::path& dir, size_t total_bytes,
                                              size_t chunk) {
  if (total_bytes == 0 || chunk == 0) {
    return Status::InvalidArgument(
        fmt::format("total bytes {} and chunk {} must be >= 1", total_bytes, chunk));
  }
  Result<ScratchFile> file = ScratchFile::Create(dir, "seq");
  if (!file.ok()) return file.status();
  HOLDFAST_RETURN_IF_ERROR(PrepareFile(*file, FileMode::kGrowing, total_bytes));

  const std::string buffer = MakeRecord(std::min(chunk, total_bytes));
  const Clock::time_point start = Clock::now();
  for (size_t off = 0; off < total_bytes; off += chunk) {
    size_t n = std::min(chunk, total_bytes - off);
    HOLDFAST_RETURN_IF_ERROR(PwriteAll(*file, buffer.data(), n, static_cast<off_t>(off)));
  }
  const Clock::time_point written = Clock::now();
  HOLDFAST_RETURN_IF_ERROR(Fdatasync(*file));
  const Clock::time_point end = Clock::now();

  BandwidthStats stats;
  stats.total_bytes = total_bytes;
  stats.chunk = chunk;
  stats.write_seconds = Seconds(written - start);
  stats.sync_seconds = Seconds(end - written);
  stats.seconds = Seconds(end - start);
  stats.mb_per_sec = stats.seconds > 0 ? static_cast<double>(total_bytes) / 1e6 / stats.seconds : 0;
  return stats;
}

Result<MemcpyCrcStats> MeasureMemcpyCrc(const fs::path& dir, size_t record_size,
                                        std::chrono::milliseconds duration, size_t region_bytes) {
  HOLDFAST_RETURN_IF_ERROR(CheckRecordFits(record_size, region_bytes));
  Result<ScratchFile> file = ScratchFile::Create(dir, "mmap");
  if (!file.ok()) return file.status();
  if (::ftruncate(file->fd(), static_cast<off_t>(region_bytes)) != 0) {
    return file->Error("ftruncate");
  }
  void* mapped = ::mmap(nullptr, region_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, file->fd(), 0);
  if (mapped == MAP_FAILED) return file->Error("mmap");
  // Unmapped before the ScratchFile is closed and unlinked (declared after it, destroyed first).
  struct Unmapper {
    void* addr;
    size_t size;
    ~Unmapper() { ::munmap(addr, size); }
  } unmapper{mapped, region_bytes};
  char* const base = static_cast<char*>(mapped);

  // Pre-touch: fault every page in (and dirty it) so the loop below measures memcpy + CRC only.
  std::memset(base, 0, region_bytes);

  const std::string record = MakeRecord(record_size);
  const size_t slots = region_bytes / record_size;
  // The clock is read once per this many ops: at ~100 ns per op a clock read each time would
  // weigh in the result.
  constexpr uint64_t kOpsPerClockRead = 1024;
  uint32_t crc_accumulator = 0;
  uint64_t ops = 0;
  size_t slot = 0;
  const Clock::time_point start = Clock::now();
  const Clock::time_point deadline = start + duration;
  Clock::time_point end = start;
  do {
    for (uint64_t i = 0; i < kOpsPerClockRead; ++i) {
      char* dst = base + slot * record_size;
      std::memcpy(dst, record.data(), record_size);
      crc_accumulator ^= Crc32(std::string_view(dst, record_size));
      if (++slot == slots) slot = 0;
    }
    ops += kOpsPerClockRead;
    end = Clock::now();
  } while (end < deadline);
  // Keeps the CRCs observable so that none of the work can be dropped.
  [[maybe_unused]] volatile uint32_t sink = crc_accumulator;

  MemcpyCrcStats stats;
  stats.record_size = record_size;
  stats.ops = ops;
  stats.seconds = Seconds(end - start);
  if (stats.seconds > 0) {
    stats.ops_per_sec = static_cast<double>(ops) / stats.seconds;
    stats.mb_per_sec = stats.ops_per_sec * static_cast<double>(record_size) / 1e6;
  }
  stats.ns_per_op = ops > 0 ? stats.seconds * 1e9 / static_cast<double>(ops) : 0;
  return stats;
}

}  // namespace holdfast::tools
