// Store cases: one fresh store directory per (mode, model, appends in flight). In the
// blocking model (1 appender, and the informational "N blocking threads") each thread builds
// its own messages (outside the timed call) and times every PutMessage. In the in-flight model
// a few submitter threads each keep their share of the N appends outstanding through
// PutMessageAsync (see Submitter): a completion stamps its slot and hands it back, the submitter
// records submit -> completion and issues the next message. All threads start in the warm-up
// phase; the main thread then switches the shared phase to "measure" for `seconds` and then to
// "stop". A put counts when it completes in the measure phase; throughput is the PUT_OK count
// over the measured wall time, bytes are the commit-log growth over the same window. At the
// window's end the case also reads how far fdatasync and dispatch (consume queues + index)
// lag behind the end of the log, and after the last completion it times how long dispatch
// takes to catch up.
#include "tools/bench/store/append_case.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "common/clock.h"
#include "store/message_store.h"
#include "tools/bench/store/append_threads.h"
#include "tools/bench/store/message_maker.h"
#include "tools/bench/store/store_setup.h"
#include "tools/bench/thread_cpu.h"

namespace holdfast::tools::store_bench {

namespace {

using store::FlushDiskType;
using store::MessageStore;
using store::MessageStoreConfig;

std::chrono::nanoseconds Seconds(double s) {
  return std::chrono::nanoseconds(static_cast<int64_t>(s * 1e9));
}

// A fresh store prepares (zero-fills and syncs) its first commit-log segment when it opens, and
// the next one in the background as soon as the first is taken: a 1 GiB write and sync that a
// long-running store does once per segment, not in every few seconds. So that a short case
// measures the steady state, this puts one message (which waits for the first segment) and then
// waits until the next segment's file has its full size and its bytes are on disk (our own
// fdatasync of it returns only when the background writeback is done). Returns the time the first
// PutMessage took, or the error.
//
// The first put must not come before the allocator thread has started on the first segment: a
// put that finds the request not yet started takes it back and creates the segment itself, which
// is then zero-filled 4 MiB (and one fsync) at a time under the put lock, and such a case ran at
// about half the rate with 50-80 ms stalls. So this first waits (up to 10 s) for the allocator to
// create the first segment's file.
Result<double> PrepareFreshStore(MessageStore* store, const StoreBenchmarkOptions& o,
                                 const MessageStoreConfig& config) {
  if (config.warm_mapped_file_enable) {
    const std::string first =
        fmt::format("{}/commitlog/{:020d}", config.store_path_root_dir, store->GetMaxPhyOffset());
    const auto deadline = SteadyClock::now() + std::chrono::seconds(10);
    std::error_code ec;
    while (!std::filesystem::exists(first, ec) && SteadyClock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  const auto t0 = SteadyClock::now();
  store::PutMessageResult r = store->PutMessage(MessageMaker(o, 9999).Next());
  if (!r.ok()) {
    return Status::IoError(
        fmt::format("first PutMessage: {}: {}", store::PutMessageStatusName(r.status), r.error));
  }
  const double first_put = SecondsSince(t0);
  if (!config.warm_mapped_file_enable) return first_put;
  const std::string next = fmt::format("{}/commitlog/{:020d}", config.store_path_root_dir,
                                       config.mapped_file_size_commit_log);
  const auto deadline = SteadyClock::now() + std::chrono::seconds(120);
  while (true) {
    std::error_code ec;
    auto size = std::filesystem::file_size(next, ec);
    if (!ec && static_cast<int64_t>(size) >= config.mapped_file_size_commit_log) break;
    if (SteadyClock::now() > deadline) {
      return Status::Timeout("the store did not prepare commit-log segment " + next +
                             " within 120 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  int fd = open(next.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno(errno, "open " + next);
  int rc = fdatasync(fd);
  int err = errno;
  close(fd);
  if (rc != 0) return Status::FromErrno(err, "fdatasync " + next);
  return first_put;
}

// Runs the warm-up and the measured window while the appenders run: switches the phase from
// warm-up to measure to stop, times the window and reads the store's offsets at its end.
void RunWindow(MessageStore* store, const StoreBenchmarkOptions& o, std::atomic<int>* phase,
               CaseResult* result) {
  std::this_thread::sleep_for(Seconds(o.warmup_seconds));
  const int64_t offset0 = store->GetMaxPhyOffset();
  auto cpu0 = ThreadCpuSample::Take();
  const auto t0 = SteadyClock::now();
  phase->store(kMeasure, std::memory_order_release);
  std::this_thread::sleep_for(Seconds(o.seconds));
  // Read before the stop: appending threads end soon after it, and an ended thread's CPU is gone.
  auto cpu1 = ThreadCpuSample::Take();
  phase->store(kStop, std::memory_order_release);
  result->seconds = SecondsSince(t0);
  if (cpu0.ok() && cpu1.ok()) {
    result->cpu_seconds = cpu1->SecondsSince(*cpu0);
  } else {
    result->cpu_error = (cpu0.ok() ? cpu1.status() : cpu0.status()).ToString();
  }
  // Dispatched and flushed first: the end of the log only grows, so neither lag is negative.
  const int64_t dispatched = store->GetDispatchedPhyOffset();
  const int64_t flushed = store->GetFlushedPhyOffset();
  const int64_t offset1 = store->GetMaxPhyOffset();
  result->mb_per_sec = static_cast<double>(offset1 - offset0) / result->seconds / 1e6;
  result->unsynced_bytes = std::max<int64_t>(0, offset1 - flushed);
  result->undispatched_bytes = std::max<int64_t>(0, offset1 - dispatched);
}

// Adds every appender's counts and latencies to `result`; the stats' latencies are freed.
void MergeStats(const std::vector<AppenderStats*>& stats, CaseResult* result) {
  LatencyRecorder all;
  size_t samples = 0;
  for (const AppenderStats* s : stats) samples += s->latency.count();
  all.Reserve(samples);
  for (AppenderStats* s : stats) {
    all.Merge(s->latency);
    s->latency = LatencyRecorder();
    result->put_ok += s->put_ok;
    for (const auto& [status, n] : s->other) result->other[status] += n;
    if (result->first_error.empty() && !s->first_error.empty())
      result->first_error = s->first_error;
  }
  result->latency = all.Summarize();
  result->msgs_per_sec = static_cast<double>(result->put_ok) / result->seconds;
}

int SubmitterCount(const StoreBenchmarkOptions& o, int in_flight) {
  if (o.submitters > 0) return std::min(o.submitters, in_flight);
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::min(in_flight, cores);
}

// The latency reserve per recorder: enough for ~1M puts/s in total without growing in the loop.
size_t LatencyReserve(const StoreBenchmarkOptions& o, int recorders) {
  return static_cast<size_t>(1e6 * o.seconds / recorders) + 1024;
}

void RunBlockingThreads(MessageStore* store, const StoreBenchmarkOptions& o, CaseResult* result) {
  const int threads = result->threads;
  std::atomic<int> phase{kWarmup};
  std::vector<AppenderStats> stats(static_cast<size_t>(threads));
  for (auto& s : stats) s.latency.Reserve(LatencyReserve(o, threads));
  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back(Appender, store, std::cref(o), i, &phase, &stats[static_cast<size_t>(i)]);
  }
  RunWindow(store, o, &phase, result);
  for (auto& w : workers) w.join();
  std::vector<AppenderStats*> all;
  for (auto& s : stats) all.push_back(&s);
  MergeStats(all, result);
}

// `submitters` must outlive the store (completions may come during its shutdown); returns false
// when some appends never completed.
bool RunInFlight(MessageStore* store, const StoreBenchmarkOptions& o,
                 std::vector<std::unique_ptr<Submitter>>* submitters, CaseResult* result) {
  const int n = result->threads;
  const int count = result->submitters;
  std::atomic<int> phase{kWarmup};
  // The store fails a SYNC_FLUSH wait after syncFlushTimeout; wait well beyond that.
  const auto drain_timeout =
      std::chrono::milliseconds(store->config().sync_flush_timeout) + std::chrono::seconds(30);
  for (int i = 0; i < count; ++i) {
    const int slots = n / count + (i < n % count ? 1 : 0);
    submitters->push_back(std::make_unique<Submitter>(&phase, slots));
    submitters->back()->stats.latency.Reserve(LatencyReserve(o, count));
  }
  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    workers.emplace_back(RunSubmitter, store, std::cref(o), i,
                         (*submitters)[static_cast<size_t>(i)].get(),
                         std::chrono::duration_cast<std::chrono::nanoseconds>(drain_timeout));
  }
  RunWindow(store, o, &phase, result);
  for (auto& s : *submitters) s->Interrupt();
  for (auto& w : workers) w.join();
  std::vector<AppenderStats*> all;
  bool drained = true;
  for (auto& s : *submitters) {
    all.push_back(&s->stats);
    if (!s->failure.empty()) {
      drained = false;
      if (!result->failure.empty()) result->failure += "; ";
      result->failure += s->failure;
    }
  }
  MergeStats(all, result);
  return drained;
}

}  // namespace

CaseResult RunCase(const std::filesystem::path& run_dir, const StoreBenchmarkOptions& o,
                   FlushDiskType mode, AppendModel model, int threads) {
  CaseResult result;
  result.mode = mode;
  result.model = model;
  result.threads = threads;
  if (model == AppendModel::kInFlight) result.submitters = SubmitterCount(o, threads);
  const std::filesystem::path dir =
      run_dir / fmt::format("{}-{}-{}", mode == FlushDiskType::kSyncFlush ? "sync" : "async",
                            model == AppendModel::kInFlight ? "inflight" : "threads", threads);
  Settle(run_dir);
  // Declared before the store: completions may reach them until the store is destroyed.
  std::vector<std::unique_ptr<Submitter>> submitters;
  {
    auto opened = MessageStore::Open(StoreConfig(dir, mode, o));
    if (!opened.ok()) {
      result.failure = "open: " + opened.status().ToString();
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
      return result;
    }
    std::unique_ptr<MessageStore> store = std::move(opened).value();
    auto prepared = PrepareFreshStore(store.get(), o, StoreConfig(dir, mode, o));
    if (!prepared.ok()) {
      result.failure = prepared.status().ToString();
      store.reset();
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
      return result;
    }
    result.first_put_seconds = *prepared;

    bool drained = true;
    if (model == AppendModel::kInFlight) {
      drained = RunInFlight(store.get(), o, &submitters, &result);
    } else {
      RunBlockingThreads(store.get(), o, &result);
    }
    result.ran = true;
    if (drained) {
      const auto t0 = SteadyClock::now();
      if (store->WaitForDispatch(std::chrono::seconds(60))) {
        result.dispatch_catch_up_seconds = SecondsSince(t0);
      } else {
        result.failure = fmt::format(
            "dispatch did not reach the end of the log within 60 s after the appends stopped "
            "(end {}, dispatched {})",
            store->GetMaxPhyOffset(), store->GetDispatchedPhyOffset());
      }
    }
    if (Status s = store->Shutdown(); !s.ok()) {
      if (!result.failure.empty()) result.failure += "; ";
      result.failure += "shutdown: " + s.ToString();
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return result;
}

bool IsPrimary(const CaseResult& c) { return c.model == AppendModel::kInFlight || c.threads == 1; }

std::string ShortLabel(const CaseResult& c) {
  if (c.model == AppendModel::kInFlight) return fmt::format("{} in flight", c.threads);
  if (c.threads == 1) return "1 appender";
  return fmt::format("{} blocking threads", c.threads);
}

std::string CaseLabel(const CaseResult& c) {
  if (c.model == AppendModel::kInFlight) {
    return fmt::format(
        "{} in flight ({} submitter{}, {})", c.threads, c.submitters, c.submitters == 1 ? "" : "s",
        c.mode == FlushDiskType::kSyncFlush ? "async completions" : "completions immediate");
  }
  if (c.threads == 1) return "1 appender (blocking PutMessage)";
  return fmt::format("{} blocking threads (PutMessage; info only)", c.threads);
}

std::optional<double> CpuUsPerMessage(const CaseResult& c) {
  if (!c.ran || c.put_ok == 0 || c.cpu_seconds.empty()) return std::nullopt;
  double total = 0;
  for (const auto& [name, seconds] : c.cpu_seconds) total += seconds;
  return total * 1e6 / static_cast<double>(c.put_ok);
}

const CaseResult* FindCase(const std::vector<CaseResult>& cases, FlushDiskType mode, int threads,
                           std::optional<AppendModel> model) {
  const AppendModel want = model          ? *model
                           : threads == 1 ? AppendModel::kBlockingThreads
                                          : AppendModel::kInFlight;
  for (const CaseResult& c : cases) {
    if (c.mode == mode && c.model == want && c.threads == threads && c.ran) return &c;
  }
  return nullptr;
}

}  // namespace holdfast::tools::store_bench
