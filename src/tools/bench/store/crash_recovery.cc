// Recovery, per size on one store directory. A forked child opens the store (ASYNC_FLUSH, the
// same messages, batches of kFillBatch from kFillThreads threads) and appends until the commit
// log holds the requested size; it then reports its offsets on its stdout and keeps appending
// until the parent kills it with SIGKILL. The abort marker therefore stays, and the checkpoint
// is whatever the store's flush services last wrote. The parent times MessageStore::Open
// (recovery), checks that every byte the child had appended before reporting survived (a
// killed process loses nothing from the page cache, so anything less is a store bug), shuts
// down cleanly and times a second Open. A second child then appends to the same store for
// kTailSeconds and is killed, and the parent times recovery again: the same tail on stores of
// different sizes.
#include "tools/bench/store/crash_recovery.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "common/clock.h"
#include "common/subprocess.h"
#include "store/file_system.h"
#include "store/store_checkpoint.h"
#include "tools/bench/store/message_maker.h"
#include "tools/bench/store/store_setup.h"

namespace holdfast::tools::store_bench {

namespace {

using store::FlushDiskType;
using store::MessageStore;
using store::MessageStoreConfig;

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

void SetError(FillReport* r, std::string_view e) {
  r->failed = 1;
  size_t n = std::min(e.size(), sizeof(r->error) - 1);
  std::memcpy(r->error, e.data(), n);
  r->error[n] = '\0';
}

// To the parent, which reads the child's stdout.
void WriteReport(const FillReport& r) {
  ssize_t n;
  do {
    n = write(STDOUT_FILENO, &r, sizeof r);
  } while (n < 0 && errno == EINTR);
}

// The child: opens the store and appends at full speed from kFillThreads threads until the commit
// log reaches `target` bytes or `max_seconds` have passed (0: no limit), reports on its stdout,
// and keeps appending until it is killed. Never returns; never runs the parent's destructors or
// flushes its streams.
[[noreturn]] void FillChild(const MessageStoreConfig& config, const StoreBenchmarkOptions& o,
                            int64_t target, double max_seconds) {
  FillReport report;
  auto opened = MessageStore::Open(config);
  if (!opened.ok()) {
    SetError(&report, "open: " + opened.status().ToString());
    WriteReport(report);
    _exit(1);
  }
  // Deliberately never destroyed: the process ends by SIGKILL, without a clean shutdown.
  MessageStore* store = opened->release();
  report.start_offset = store->GetMaxPhyOffset();
  std::atomic<bool> failed{false};
  std::atomic<int64_t> messages{0};
  std::mutex error_mu;
  std::string error;
  const auto t0 = SteadyClock::now();
  auto fill = [&](int id) {
    MessageMaker maker(o, 1000 + id);
    while (!failed.load(std::memory_order_relaxed)) {
      std::vector<MessageExt> batch;
      batch.reserve(kFillBatch);
      for (int i = 0; i < kFillBatch; ++i) batch.push_back(maker.Next());
      store::PutMessageResult r = store->PutMessages(std::move(batch));
      if (!r.ok()) {
        std::lock_guard lock(error_mu);
        if (error.empty()) {
          error =
              fmt::format("PutMessages: {}: {}", store::PutMessageStatusName(r.status), r.error);
        }
        failed = true;
        return;
      }
      messages.fetch_add(kFillBatch, std::memory_order_relaxed);
    }
  };
  auto* threads = new std::vector<std::thread>();  // never joined: see above
  for (int i = 0; i < kFillThreads; ++i) threads->emplace_back(fill, i);
  while (!failed.load() && store->GetMaxPhyOffset() < target &&
         (max_seconds <= 0 || SecondsSince(t0) < max_seconds)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  report.fill_seconds = SecondsSince(t0);
  report.max_offset = store->GetMaxPhyOffset();
  report.flushed_offset = store->GetFlushedPhyOffset();
  report.dispatched_offset = store->GetDispatchedPhyOffset();
  report.messages = messages.load();
  if (failed.load()) {
    std::lock_guard lock(error_mu);
    SetError(&report, error);
  }
  WriteReport(report);
  if (report.failed) _exit(1);
  while (true) pause();  // appenders keep going until the parent's SIGKILL
}

// Forks a child running FillChild, waits for its report, kills it with SIGKILL and reads what the
// kill left behind. Returns an empty string, or what failed.
std::string CrashChild(const MessageStoreConfig& config, const StoreBenchmarkOptions& o,
                       int64_t target, double max_seconds, std::ostream& out, CrashRun* run) {
  out << std::flush;
  auto child = Subprocess::Fork([&]() -> int { FillChild(config, o, target, max_seconds); });
  if (!child.ok()) return child.status().ToString();

  // Generous: a slow disk writes 100 MB/s, and every segment is also zero-filled once.
  const double wait_seconds =
      120 + (max_seconds > 0 ? max_seconds : 60.0 * static_cast<double>(target) / kGiB);
  const int timeout_ms = static_cast<int>(std::min(wait_seconds, 3600.0) * 1000);
  const std::optional<std::string> report =
      (*child)->ReadBytes(sizeof run->fill, std::chrono::milliseconds(timeout_ms));
  const auto t_report = SteadyClock::now();
  (*child)->Kill(SIGKILL);
  const int status = (*child)->Wait();
  run->kill_ms = SecondsSince(t_report) * 1e3;
  if (!report && !(*child)->eof()) {
    return fmt::format("the filling child did not report within {} s", timeout_ms / 1000);
  }
  if (!report) {
    return fmt::format("the filling child ended ({}) before reporting", DescribeExitStatus(status));
  }
  std::memcpy(&run->fill, report->data(), sizeof run->fill);
  if (run->fill.failed) return fmt::format("the filling child failed: {}", run->fill.error);
  run->ran = true;

  const std::string& root = config.store_path_root_dir;
  run->abort_marker = std::filesystem::exists(root + "/abort");
  auto cp = store::StoreCheckpoint::Open(store::FileSystem::Default(), root + "/checkpoint");
  if (cp.ok()) {
    run->checkpoint_valid = (*cp)->valid();
    run->checkpoint_physic = (*cp)->physic_flushed_offset;
    run->checkpoint_logics = (*cp)->logics_flushed_offset;
    run->checkpoint_index = (*cp)->index_flushed_offset;
  }
  return "";
}

// Opens the store after a CrashChild and shuts it down cleanly. Returns an empty string, or what
// failed. `shutdown_seconds`, when given, receives the time the clean shutdown took.
std::string ReopenAfterCrash(const MessageStoreConfig& config, CrashRun* run,
                             double* shutdown_seconds) {
  auto opened = MessageStore::Open(config);
  if (!opened.ok()) return "open after kill -9: " + opened.status().ToString();
  run->reopened = true;
  run->recovery = (*opened)->recovery_info();
  run->lost_bytes = std::max<int64_t>(0, run->fill.max_offset - run->recovery.max_offset);
  const auto t0 = SteadyClock::now();
  Status s = (*opened)->Shutdown();
  if (shutdown_seconds) *shutdown_seconds = SecondsSince(t0);
  if (!s.ok()) return "clean shutdown after recovery: " + s.ToString();
  return "";
}

}  // namespace

bool RecoveryFailed(const RecoveryResult& r) {
  return !r.failure.empty() || r.full.lost_bytes > 0 || r.tail.lost_bytes > 0 ||
         (r.full.ran && !r.full.abort_marker) || (r.tail.ran && !r.tail.abort_marker) ||
         r.clean.abnormal;
}

RecoveryResult RunRecovery(const std::filesystem::path& run_dir, const StoreBenchmarkOptions& o,
                           double gib, std::ostream& out) {
  RecoveryResult r;
  r.gib = gib;
  const std::filesystem::path dir = run_dir / fmt::format("recovery-{:g}gib", gib);
  const MessageStoreConfig config = StoreConfig(dir, FlushDiskType::kAsyncFlush, o);
  Settle(run_dir);
  auto finish = [&](std::string failure) {
    r.failure = std::move(failure);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return r;
  };

  // 1. Fill to the size at full speed; kill; recover.
  std::string failure = CrashChild(config, o, static_cast<int64_t>(gib * kGiB), 0, out, &r.full);
  if (!failure.empty()) return finish(failure);
  failure = ReopenAfterCrash(config, &r.full, &r.clean_shutdown_seconds);
  if (!failure.empty()) return finish(failure);

  // 2. Reopen after the clean shutdown.
  {
    auto opened = MessageStore::Open(config);
    if (!opened.ok()) return finish("open after clean shutdown: " + opened.status().ToString());
    r.clean_opened = true;
    r.clean = (*opened)->recovery_info();
    if (Status s = (*opened)->Shutdown(); !s.ok()) return finish("shutdown: " + s.ToString());
  }

  // 3. The same store, kTailSeconds of full-speed appends; kill; recover.
  failure = CrashChild(config, o, INT64_MAX, kTailSeconds, out, &r.tail);
  if (!failure.empty()) return finish(failure);
  return finish(ReopenAfterCrash(config, &r.tail, nullptr));
}

}  // namespace holdfast::tools::store_bench
