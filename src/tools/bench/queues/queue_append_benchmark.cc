#include "tools/bench/queues/queue_append_benchmark.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ostream>
#include <random>

#include "store/reservation_step.h"
#include "tools/bench/report_format.h"

namespace holdfast::tools {

namespace {

constexpr int64_t kPage = 4096;
constexpr int64_t kEntryBytes = 20;
constexpr int64_t kSlotBytes = 4;

int64_t RoundUp(int64_t v, int64_t to) { return (v + to - 1) / to * to; }

// One file, open and (unless kPwrite) mapped, removed when done with.
class ScratchFile {
 public:
  ~ScratchFile() {
    if (map_ != nullptr) ::munmap(map_, static_cast<size_t>(size_));
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }

  Status Create(std::string path, int64_t size, BlockReservation r) {
    path_ = std::move(path);
    size_ = size;
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::FromErrno(errno, "open " + path_);
    if (r == BlockReservation::kWhole) {
      HOLDFAST_RETURN_IF_ERROR(Reserve(0, size));
    } else if (r == BlockReservation::kSparse || r == BlockReservation::kPageOnFirstTouch ||
               r == BlockReservation::kPwrite) {
      if (::ftruncate(fd_, size) != 0) return Status::FromErrno(errno, "ftruncate " + path_);
    }
    if (r != BlockReservation::kPwrite) {
      void* p =
          ::mmap(nullptr, static_cast<size_t>(size), PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
      if (p == MAP_FAILED) return Status::FromErrno(errno, "mmap " + path_);
      map_ = static_cast<char*>(p);
    }
    return Status::Ok();
  }

  Status Reserve(int64_t offset, int64_t length) {
    const int rc = ::posix_fallocate(fd_, offset, length);
    return rc == 0 ? Status::Ok() : Status::FromErrno(rc, "posix_fallocate " + path_);
  }
  Status Pwrite(int64_t offset, const char* data, size_t n) {
    if (::pwrite(fd_, data, n, offset) != static_cast<ssize_t>(n)) {
      return Status::FromErrno(errno, "pwrite " + path_);
    }
    return Status::Ok();
  }
  char* map() { return map_; }

  // fdatasync time in ms, and the bytes the file occupies afterwards.
  Status Finish(AppendCost* cost) {
    const auto t0 = std::chrono::steady_clock::now();
    if (::fdatasync(fd_) != 0) return Status::FromErrno(errno, "fdatasync " + path_);
    cost->sync_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    struct stat st;
    if (::fstat(fd_, &st) != 0) return Status::FromErrno(errno, "fstat " + path_);
    cost->disk_bytes = static_cast<int64_t>(st.st_blocks) * 512;
    return Status::Ok();
  }

 private:
  std::string path_;
  int64_t size_ = 0;
  int fd_ = -1;
  char* map_ = nullptr;
};

double NsSince(std::chrono::steady_clock::time_point t0, int64_t stores) {
  return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() /
         static_cast<double>(stores);
}

Result<AppendCost> AppendOnce(const AppendCostOptions& o, BlockReservation r) {
  ScratchFile file;
  HOLDFAST_RETURN_IF_ERROR(file.Create(o.dir + "/holdfast-append-bench", o.segment_bytes, r));
  const int64_t size = o.segment_bytes;
  int64_t reserved = 0;
  char entry[kEntryBytes] = {};
  int64_t stores = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int64_t pos = 0; pos + kEntryBytes <= size; pos += kEntryBytes, ++stores) {
    std::memcpy(entry, &pos, sizeof pos);
    const int64_t end = pos + kEntryBytes;
    if (end > reserved &&
        (r == BlockReservation::kGrowDoubling || r == BlockReservation::kGrowPage)) {
      const int64_t to = r == BlockReservation::kGrowPage
                             ? std::min(size, RoundUp(end, kPage))
                             : store::NextReservationEnd(reserved, end, size);
      HOLDFAST_RETURN_IF_ERROR(file.Reserve(reserved, to - reserved));
      reserved = to;
    }
    if (r == BlockReservation::kPwrite) {
      HOLDFAST_RETURN_IF_ERROR(file.Pwrite(pos, entry, sizeof entry));
    } else {
      std::memcpy(file.map() + pos, entry, sizeof entry);
    }
  }
  AppendCost cost;
  cost.reservation = r;
  cost.ns_per_store = NsSince(t0, stores);
  HOLDFAST_RETURN_IF_ERROR(file.Finish(&cost));
  return cost;
}

Result<AppendCost> StoreSlotsOnce(const AppendCostOptions& o, BlockReservation r) {
  ScratchFile file;
  HOLDFAST_RETURN_IF_ERROR(file.Create(o.dir + "/holdfast-slot-bench", o.slot_table_bytes, r));
  const int64_t slots = o.slot_table_bytes / kSlotBytes;
  std::vector<bool> reserved(static_cast<size_t>(RoundUp(o.slot_table_bytes, kPage) / kPage));
  std::mt19937_64 rng(42);
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < o.slot_stores; ++i) {
    const int64_t pos = static_cast<int64_t>(rng() % static_cast<uint64_t>(slots)) * kSlotBytes;
    const int32_t value = i;
    if (r == BlockReservation::kPageOnFirstTouch && !reserved[static_cast<size_t>(pos / kPage)]) {
      const int64_t page = pos / kPage * kPage;
      HOLDFAST_RETURN_IF_ERROR(file.Reserve(page, std::min(kPage, o.slot_table_bytes - page)));
      reserved[static_cast<size_t>(pos / kPage)] = true;
    }
    if (r == BlockReservation::kPwrite) {
      HOLDFAST_RETURN_IF_ERROR(
          file.Pwrite(pos, reinterpret_cast<const char*>(&value), sizeof value));
    } else {
      std::memcpy(file.map() + pos, &value, sizeof value);
    }
  }
  AppendCost cost;
  cost.reservation = r;
  cost.ns_per_store = NsSince(t0, o.slot_stores);
  HOLDFAST_RETURN_IF_ERROR(file.Finish(&cost));
  return cost;
}

// Every case once per round, rounds one after another, so a change in the machine's load
// touches every case alike.
template <typename Once>
Result<std::vector<AppendCost>> Measure(const AppendCostOptions& o,
                                        const std::vector<BlockReservation>& cases, Once once) {
  std::vector<std::vector<AppendCost>> runs(cases.size());
  for (int round = 0; round < std::max(1, o.rounds); ++round) {
    for (size_t i = 0; i < cases.size(); ++i) {
      auto run = once(o, cases[i]);
      if (!run.ok()) return run.status();
      runs[i].push_back(*run);
    }
  }
  std::vector<AppendCost> costs;
  for (size_t i = 0; i < cases.size(); ++i) {
    auto median = [&runs, i](auto field) {
      std::vector<double> v;
      for (const AppendCost& c : runs[i]) v.push_back(static_cast<double>(c.*field));
      std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
      return v[v.size() / 2];
    };
    AppendCost cost;
    cost.reservation = cases[i];
    cost.ns_per_store = median(&AppendCost::ns_per_store);
    cost.sync_ms = median(&AppendCost::sync_ms);
    cost.disk_bytes = static_cast<int64_t>(median(&AppendCost::disk_bytes));
    costs.push_back(cost);
  }
  return costs;
}

void PrintCosts(const Result<std::vector<AppendCost>>& costs, std::ostream& out) {
  if (!costs.ok()) {
    out << "  failed: " << costs.status().ToString() << "\n";
    return;
  }
  TextTable table({"blocks", "ns/store", "final fdatasync ms", "on disk"});
  for (const AppendCost& c : *costs) {
    table.AddRow({std::string(BlockReservationName(c.reservation)),
                  fmt::format("{:.1f}", c.ns_per_store), fmt::format("{:.2f}", c.sync_ms),
                  Bytes(c.disk_bytes)});
  }
  table.Print(out);
}

}  // namespace

std::string_view BlockReservationName(BlockReservation r) {
  switch (r) {
    case BlockReservation::kWhole:
      return "fallocate whole, mmap";
    case BlockReservation::kSparse:
      return "sparse, mmap (faults allocate)";
    case BlockReservation::kGrowDoubling:
      return "fallocate ahead, 4 KiB doubling to 64 KiB, mmap";
    case BlockReservation::kGrowPage:
      return "fallocate each 4 KiB page, mmap";
    case BlockReservation::kPageOnFirstTouch:
      return "fallocate a page at first store, mmap";
    case BlockReservation::kPwrite:
      return "pwrite each store";
  }
  return "?";
}

Result<std::vector<AppendCost>> MeasureQueueAppends(const AppendCostOptions& o) {
  return Measure(
      o,
      {BlockReservation::kWhole, BlockReservation::kSparse, BlockReservation::kGrowDoubling,
       BlockReservation::kGrowPage, BlockReservation::kPwrite},
      AppendOnce);
}

Result<std::vector<AppendCost>> MeasureSlotStores(const AppendCostOptions& o) {
  return Measure(o,
                 {BlockReservation::kWhole, BlockReservation::kSparse,
                  BlockReservation::kPageOnFirstTouch, BlockReservation::kPwrite},
                 StoreSlotsOnce);
}

void PrintAppendCosts(const AppendCostOptions& o, std::ostream& out) {
  Section(out, fmt::format("Consume-queue appends: {} 20-byte entries filling one {} segment, "
                           "median of {} fresh files",
                           Thousands(static_cast<double>(o.segment_bytes / kEntryBytes)),
                           Bytes(o.segment_bytes), o.rounds));
  PrintCosts(MeasureQueueAppends(o), out);
  Section(out, fmt::format("Index slot stores: {} 4-byte stores at random slots of a {} table, "
                           "median of {} fresh files",
                           Thousands(o.slot_stores), Bytes(o.slot_table_bytes), o.rounds));
  PrintCosts(MeasureSlotStores(o), out);
}

}  // namespace holdfast::tools
