// How the report is made:
//
// a) Limits: the disk_limits.h measurements, in a scratch directory beside the stores, each for
//    `seconds`. The batch loop (N pwrites + one fdatasync) is the ideal group commit for N
//    appenders: what a store with zero overhead would reach with N concurrent SYNC_FLUSH writers.
// b) Store cases: one fresh store directory per (mode, model, appends in flight). In the
//    blocking model (1 appender, and the informational "N blocking threads") each thread builds
//    its own messages (outside the timed call) and times every PutMessage. In the in-flight model
//    a few submitter threads each keep their share of the N appends outstanding through
//    PutMessageAsync (see Submitter): a completion stamps its slot and hands it back, the submitter
//    records submit -> completion and issues the next message. All threads start in the warm-up
//    phase; the main thread then switches the shared phase to "measure" for `seconds` and then to
//    "stop". A put counts when it completes in the measure phase; throughput is the PUT_OK count
//    over the measured wall time, bytes are the commit-log growth over the same window. At the
//    window's end the case also reads how far fdatasync and dispatch (consume queues + index)
//    lag behind the end of the log, and after the last completion it times how long dispatch
//    takes to catch up.
// c) Ratios of (b) to (a).
// d) Recovery, per size on one store directory. A forked child opens the store (ASYNC_FLUSH, the
//    same messages, batches of kFillBatch from kFillThreads threads) and appends until the commit
//    log holds the requested size; it then reports its offsets through a pipe and keeps appending
//    until the parent kills it with SIGKILL. The abort marker therefore stays, and the checkpoint
//    is whatever the store's flush services last wrote. The parent times MessageStore::Open
//    (recovery), checks that every byte the child had appended before reporting survived (a
//    killed process loses nothing from the page cache, so anything less is a store bug), shuts
//    down cleanly and times a second Open. A second child then appends to the same store for
//    kTailSeconds and is killed, and the parent times recovery again: the same tail on stores of
//    different sizes.
#include "tools/bench/store_benchmark.h"

#include "tools/bench/report_format.h"
#include "tools/bench/thread_cpu.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "common/clock.h"
#include "common/message.h"
#include "common/message_codec.h"
#include "common/subprocess.h"
#include "store/file_system.h"
#include "store/message_store.h"
#include "store/put_message_result.h"
#include "store/store_checkpoint.h"
#include "tools/limits/disk_limits.h"
#include "tools/latency_recorder.h"

namespace holdfast::tools {

namespace {

using store::FlushDiskType;
using store::MessageStore;
using store::MessageStoreConfig;
using store::PutMessageStatus;

constexpr int kBatchSizes[] = {1, 8, 64};
// The batch loop at 64 x 1 KiB runs at a few hundred thousand records/s on a fast disk; 1 GiB
// keeps it going for a few seconds (it stops early, and says so, when the region is used up).
constexpr size_t kBatchRegionBytes = 1024 * kMiB;
constexpr int kFillThreads = 4;
constexpr int kFillBatch = 32;
constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
// The benchmark's own threads, by name (the store's name themselves: see ServiceThread).
constexpr char kAppenderThread[] = "Appender";
constexpr char kSubmitterThread[] = "Submitter";

// ---------------------------------------------------------------------------------------------
// Messages

// Builds the benchmark's messages for one thread: a fixed body, TAGS, a KEYS value and a
// RocketMQ-style 32-hex-digit UNIQ_KEY, both unique per (thread, sequence number), queue ids
// spread round-robin from a per-thread start.
class MessageMaker {
 public:
  MessageMaker(const StoreBenchmarkOptions& o, int thread_id)
      : thread_id_(thread_id), queues_(std::max(1, o.queues)) {
    tmpl_.topic = o.topic;
    tmpl_.body.resize(o.body_size);
    for (size_t i = 0; i < tmpl_.body.size(); ++i) {
      tmpl_.body[i] = static_cast<char>('a' + (i * 7 + static_cast<size_t>(thread_id)) % 26);
    }
    tmpl_.born_host = HostAddress::Ipv4(127, 0, 0, 1, 40000 + thread_id % 20000);
    tmpl_.store_host = HostAddress::Ipv4(127, 0, 0, 1, 10911);
  }

  MessageExt Next() {
    MessageExt m = tmpl_;
    m.queue_id = static_cast<int32_t>((static_cast<uint64_t>(thread_id_) + seq_) % queues_);
    m.born_timestamp = NowMillis();
    PropertyMap props;
    props.emplace(property::kTags, "TagA");
    props.emplace(property::kKeys, fmt::format("order-{}-{}", thread_id_, seq_));
    props.emplace(property::kUniqClientMessageIdKeyIndex,
                  fmt::format("7F000001{:08X}{:016X}",
                              (pid_ << 12) ^ static_cast<uint32_t>(thread_id_), seq_));
    m.properties = EncodeProperties(props);
    ++seq_;
    return m;
  }

  // The stored size of a record this maker produces (the key lengths vary by a few bytes).
  int64_t RecordSize() {
    MessageExt m = MessageMaker(*this).Next();
    return StoredRecordSize(m.topic.size(), m.body.size(), m.properties.size(), false, false);
  }

 private:
  const int thread_id_;
  const uint64_t queues_;
  // Read once: getpid() is a system call, and the maker should cost the benchmark little.
  const uint32_t pid_ = static_cast<uint32_t>(getpid());
  MessageExt tmpl_;
  uint64_t seq_ = 0;
};

MessageStoreConfig StoreConfig(const std::filesystem::path& dir, FlushDiskType mode,
                               const StoreBenchmarkOptions& o) {
  MessageStoreConfig c;
  c.store_path_root_dir = dir.string();
  c.flush_disk_type = mode;
  c.message_index_enable = o.index;
  return c;
}

std::chrono::nanoseconds Seconds(double s) {
  return std::chrono::nanoseconds(static_cast<int64_t>(s * 1e9));
}

double Since(SteadyClock::time_point t0) {
  return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

// Makes the file system under `dir` write back and commit everything pending (syncfs). Called
// before each measurement so that it does not pay for the previous one's writes and deletions: on
// a file system mounted with `discard`, the journal commit after deleting gigabytes of benchmark
// files issues their discards, and an fdatasync caught behind it took milliseconds instead of
// 100 us. Best effort: a failure only leaves that noise in.
void Settle(const std::filesystem::path& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)syncfs(fd);
  close(fd);
}

// ---------------------------------------------------------------------------------------------
// a) Limits

struct Limits {
  std::optional<SyncWriteStats> prezeroed;
  std::optional<SyncWriteStats> growing;
  std::map<int, BatchSyncStats> batch;
  std::optional<BandwidthStats> sequential;
  std::optional<MemcpyCrcStats> memcpy_crc;
};

bool RunLimits(const std::filesystem::path& dir, double seconds, std::ostream& out,
               Limits* limits) {
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

// ---------------------------------------------------------------------------------------------
// b) Store append cases

// How a case loads the store.
enum class AppendModel {
  // `threads` threads, each calling the blocking PutMessage in a loop. With 1 thread this is the
  // latency case; with more it is informational only.
  kBlockingThreads,
  // `threads` PutMessageAsync calls kept outstanding by `submitters` threads.
  kInFlight,
};

struct CaseResult {
  FlushDiskType mode = FlushDiskType::kAsyncFlush;
  AppendModel model = AppendModel::kBlockingThreads;
  int threads = 0;                             // appends in flight: threads, or outstanding calls
  int submitters = 0;                          // kInFlight only
  bool ran = false;                            // the store opened and the case completed
  std::string failure;                         // why it did not run, or what went wrong after
  uint64_t put_ok = 0;                         // in the measured window
  double seconds = 0;                          // measured window
  double msgs_per_sec = 0;                     // PUT_OK / seconds
  double mb_per_sec = 0;                       // commit-log growth over the window, MB (10^6) / s
  LatencySummary latency;                      // PUT_OK only: call, or submit -> completion
  std::map<PutMessageStatus, uint64_t> other;  // non-OK results, warm-up included
  std::string first_error;
  double first_put_seconds = 0;  // a fresh store's first PutMessage (see PrepareFreshStore)
  // At the end of the window: commit-log bytes not yet fdatasync'ed, and not yet dispatched to
  // the consume queues and the index.
  int64_t unsynced_bytes = 0;
  int64_t undispatched_bytes = 0;
  // From the last completion until dispatch reached the end of the log.
  double dispatch_catch_up_seconds = 0;
  // CPU seconds used in the measured window by each thread name (see ThreadCpuSample), or why
  // they could not be read.
  std::map<std::string, double> cpu_seconds;
  std::string cpu_error;
};

struct AppenderStats {
  LatencyRecorder latency;
  uint64_t put_ok = 0;
  std::map<PutMessageStatus, uint64_t> other;
  std::string first_error;

  // Counts one result; `measured` when it completed in the measure phase.
  void Add(PutMessageStatus status, bool measured, std::chrono::nanoseconds latency,
           std::string* error) {
    if (status == PutMessageStatus::kPutOk) {
      if (measured) {
        this->latency.Record(latency);
        ++put_ok;
      }
      return;
    }
    if (other.empty()) first_error = std::move(*error);
    ++other[status];
    // A store that refuses everything would spin; the report shows the counts.
    if (status == PutMessageStatus::kServiceNotAvailable) std::this_thread::yield();
  }
};

enum Phase : int { kWarmup = 0, kMeasure = 1, kStop = 2 };

void Appender(MessageStore* store, const StoreBenchmarkOptions& o, int id,
              const std::atomic<int>* phase, AppenderStats* stats) {
  pthread_setname_np(pthread_self(), kAppenderThread);
  MessageMaker maker(o, id);
  while (true) {
    int before = phase->load(std::memory_order_acquire);
    if (before == kStop) break;
    MessageExt m = maker.Next();
    auto t0 = SteadyClock::now();
    store::PutMessageResult r = store->PutMessage(std::move(m));
    auto t1 = SteadyClock::now();
    bool measured = phase->load(std::memory_order_acquire) == kMeasure;
    stats->Add(r.status, measured, t1 - t0, &r.error);
  }
}

// One submitting thread of the in-flight model, and the hand-over from the store's completions
// back to it. The submitter owns a fixed set of slots, one per append it keeps in flight. It fills
// a slot's `submitted` and calls PutMessageAsync; the completion (on whatever thread the store runs
// it) fills the rest of the slot and pushes the slot's index onto `finished` under `mu`, which
// hands the slot back. The completion wakes the submitter only when it sleeps on `cv`, and clears
// `waiting` as it does, so that the completions of one group commit cost one wake-up, not one
// each. The submitter takes all finished slots at once, counts them and issues the next messages,
// encoded on its own thread.
//
// Must outlive the store: a completion may still arrive during the store's Shutdown.
struct Submitter {
  struct Slot {
    // Written by the submitter before PutMessageAsync.
    SteadyClock::time_point submitted;
    // Written by the completion, read by the submitter after taking the slot from `finished`.
    SteadyClock::time_point completed;
    bool measured = false;  // completed in the measure phase
    PutMessageStatus status = PutMessageStatus::kPutOk;
    std::string error;
  };

  Submitter(const std::atomic<int>* phase, int slots) : phase(phase), slots(slots) {}

  // The store's completion for slot `slot`: short, no call into the store.
  void Complete(int slot, store::PutMessageResult r) {
    Slot& s = slots[static_cast<size_t>(slot)];
    s.completed = SteadyClock::now();
    s.measured = phase->load(std::memory_order_acquire) == kMeasure;
    s.status = r.status;
    if (!r.ok()) s.error = std::move(r.error);
    bool wake = false;
    {
      std::lock_guard lock(mu);
      finished.push_back(slot);
      wake = waiting;
      waiting = false;
    }
    if (wake) cv.notify_one();
  }

  // Wakes the submitter if it sleeps; the caller has just set the phase to kStop.
  void Interrupt() {
    {
      std::lock_guard lock(mu);
      waiting = false;
    }
    cv.notify_one();
  }

  // Constant after construction.
  const std::atomic<int>* const phase;
  std::vector<Slot> slots;  // each slot: see Slot

  std::mutex mu;
  std::condition_variable cv;
  std::vector<int> finished;  // guarded by mu
  bool waiting = false;       // guarded by mu: the submitter sleeps on cv

  // The submitter thread's own.
  AppenderStats stats;
  std::string failure;  // set when in-flight appends never completed
};

// The submitter thread: keeps its slots in flight until the phase is kStop, then waits for the
// outstanding completions (up to `drain_timeout`; a store that never answers is reported, not
// waited for forever).
void RunSubmitter(MessageStore* store, const StoreBenchmarkOptions& o, int id, Submitter* sub,
                  std::chrono::nanoseconds drain_timeout) {
  pthread_setname_np(pthread_self(), kSubmitterThread);
  MessageMaker maker(o, id);
  std::vector<int> free_slots(sub->slots.size());
  for (size_t i = 0; i < free_slots.size(); ++i) free_slots[i] = static_cast<int>(i);
  std::vector<int> taken;
  taken.reserve(sub->slots.size());
  size_t in_flight = 0;
  auto take = [&] {
    for (int slot : taken) {
      Submitter::Slot& s = sub->slots[static_cast<size_t>(slot)];
      sub->stats.Add(s.status, s.measured, s.completed - s.submitted, &s.error);
      s.error.clear();
      free_slots.push_back(slot);
    }
    in_flight -= taken.size();
    taken.clear();
  };

  while (sub->phase->load(std::memory_order_acquire) != kStop) {
    for (int slot : free_slots) {
      MessageExt m = maker.Next();
      sub->slots[static_cast<size_t>(slot)].submitted = SteadyClock::now();
      ++in_flight;
      // Under ASYNC_FLUSH and for failures the completion runs right here, on this thread.
      store->PutMessageAsync(std::move(m), [sub, slot](store::PutMessageResult r) {
        sub->Complete(slot, std::move(r));
      });
    }
    free_slots.clear();
    {
      std::unique_lock lock(sub->mu);
      while (sub->finished.empty() && sub->phase->load(std::memory_order_acquire) != kStop) {
        sub->waiting = true;
        sub->cv.wait(lock);
      }
      sub->waiting = false;
      taken.swap(sub->finished);
    }
    take();
  }

  const auto deadline = SteadyClock::now() + drain_timeout;
  while (in_flight > 0) {
    {
      std::unique_lock lock(sub->mu);
      while (sub->finished.empty()) {
        sub->waiting = true;
        if (sub->cv.wait_until(lock, deadline) == std::cv_status::timeout &&
            sub->finished.empty()) {
          sub->waiting = false;
          sub->failure = fmt::format(
              "{} PutMessageAsync call{} of submitter {} still without a completion {:.0f} s "
              "after the appends stopped",
              in_flight, in_flight == 1 ? "" : "s", id,
              std::chrono::duration<double>(drain_timeout).count());
          return;
        }
      }
      sub->waiting = false;
      taken.swap(sub->finished);
    }
    take();
  }
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
  const double first_put = Since(t0);
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
  result->seconds = Since(t0);
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
        result.dispatch_catch_up_seconds = Since(t0);
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

// False for the informational cases: more than one thread blocking in PutMessage.
bool IsPrimary(const CaseResult& c) { return c.model == AppendModel::kInFlight || c.threads == 1; }

// "1 appender", "64 in flight", "64 blocking threads".
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

void PrintCases(const std::vector<CaseResult>& cases, FlushDiskType mode, std::ostream& out) {
  TextTable t({std::string(FlushDiskTypeName(mode)), "msgs/s", "MB/s", "p50 us", "p99 us",
               "p99.9 us", "max us", "PUT_OK", "not OK", "unsynced", "undispatched", "catch-up ms",
               "first put ms"});
  std::vector<std::string> notes;
  for (const CaseResult& c : cases) {
    if (c.mode != mode) continue;
    std::string label = CaseLabel(c);
    uint64_t not_ok = 0;
    for (const auto& [status, n] : c.other) not_ok += n;
    if (!c.ran) {
      t.AddRow({label, "FAILED"});
    } else {
      t.AddRow({label, Thousands(c.msgs_per_sec), fmt::format("{:.1f}", c.mb_per_sec),
                Us(c.latency.p50_us()), Us(c.latency.p99_us()), Us(c.latency.p999_us()),
                Us(c.latency.max_us()), Thousands(static_cast<double>(c.put_ok)),
                Thousands(static_cast<double>(not_ok)), Bytes(c.unsynced_bytes),
                Bytes(c.undispatched_bytes),
                c.failure.empty() ? fmt::format("{:.0f}", c.dispatch_catch_up_seconds * 1e3) : "-",
                fmt::format("{:.0f}", c.first_put_seconds * 1e3)});
    }
    if (!c.failure.empty()) notes.push_back(fmt::format("{}: {}", label, c.failure));
    for (const auto& [status, n] : c.other) {
      notes.push_back(fmt::format("{}: {} x {}", label, store::PutMessageStatusName(status),
                                  Thousands(static_cast<double>(n))));
    }
    if (!c.first_error.empty())
      notes.push_back(fmt::format("{}: first error: {}", label, c.first_error));
  }
  t.Print(out);
  for (const auto& n : notes) out << "  ! " << n << '\n';
  out << std::flush;
}

// Microseconds of CPU per PUT_OK a case used in its measured window, all threads together, or
// nullopt when the CPU could not be read.
std::optional<double> CpuUsPerMessage(const CaseResult& c) {
  if (!c.ran || c.put_ok == 0 || c.cpu_seconds.empty()) return std::nullopt;
  double total = 0;
  for (const auto& [name, seconds] : c.cpu_seconds) total += seconds;
  return total * 1e6 / static_cast<double>(c.put_ok);
}

int HardwareCores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

// Where each case's CPU went, per PUT_OK, by thread: the appending threads (which also make the
// messages, as a broker's threads decode them), then the store's service threads.
void PrintCpu(const std::vector<CaseResult>& cases, FlushDiskType mode, std::ostream& out) {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kGroups = {
      {"appenders", {kAppenderThread, kSubmitterThread}},
      {"GroupCommit", {"GroupCommit"}},
      {"ReputMessage", {"ReputMessage"}},
      {"AllocMappedFile", {"AllocMappedFile"}},
      {"flush", {"FlushRealTime", "FlushConsumeQ"}},
  };
  std::vector<std::string> header = {std::string(FlushDiskTypeName(mode)) + " CPU us per PUT_OK"};
  for (const auto& [group, names] : kGroups) header.push_back(group);
  for (const char* h : {"other", "total", "cores busy"}) header.emplace_back(h);
  TextTable t(header);
  std::vector<std::string> notes;
  for (const CaseResult& c : cases) {
    if (c.mode != mode || !c.ran) continue;
    auto total = CpuUsPerMessage(c);
    if (!total) {
      notes.push_back(fmt::format("{}: CPU not measured{}", CaseLabel(c),
                                  c.cpu_error.empty() ? "" : ": " + c.cpu_error));
      continue;
    }
    const double per_msg = 1e6 / static_cast<double>(c.put_ok);
    std::vector<std::string> row = {CaseLabel(c)};
    double grouped = 0;
    for (const auto& [group, names] : kGroups) {
      double seconds = 0;
      for (const auto& name : names) {
        if (auto it = c.cpu_seconds.find(name); it != c.cpu_seconds.end()) seconds += it->second;
      }
      grouped += seconds;
      row.push_back(fmt::format("{:.2f}", seconds * per_msg));
    }
    row.push_back(fmt::format("{:.2f}", *total - grouped * per_msg));
    row.push_back(fmt::format("{:.2f}", *total));
    row.push_back(fmt::format("{:.2f} of {}", *total * c.msgs_per_sec / 1e6, HardwareCores()));
    t.AddRow(std::move(row));
  }
  t.Print(out);
  for (const auto& n : notes) out << "  ! " << n << '\n';
  out << std::flush;
}

// The case a ratio uses for `threads` appends: the blocking appender for 1, in flight otherwise.
const CaseResult* FindCase(const std::vector<CaseResult>& cases, FlushDiskType mode, int threads,
                           std::optional<AppendModel> model = std::nullopt) {
  const AppendModel want = model          ? *model
                           : threads == 1 ? AppendModel::kBlockingThreads
                                          : AppendModel::kInFlight;
  for (const CaseResult& c : cases) {
    if (c.mode == mode && c.model == want && c.threads == threads && c.ran) return &c;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// c) Ratios

constexpr double kAsyncTarget = 0.50;

void PrintRatios(const Limits& limits, bool have_limits, const std::vector<CaseResult>& cases,
                 std::ostream& out) {
  Section(out, "c) The store as a fraction of the limits");
  TextTable t({"ratio", "store", "limit", "ratio", "target", "result"});
  // higher_is_better: ratio >= target passes; otherwise ratio <= target passes.
  auto row = [&](std::string name, std::optional<double> store, std::optional<double> limit,
                 std::string unit, std::optional<double> target, bool higher_is_better) {
    auto fmt_value = [&](double v) {
      return unit == "us" ? fmt::format("{} us", Us(v)) : fmt::format("{} {}", Thousands(v), unit);
    };
    if (!store || !limit || *limit <= 0) {
      std::string why = !have_limits ? "limits skipped" : !store ? "case not run" : "limit failed";
      t.AddRow(
          {std::move(name), store ? fmt_value(*store) : "-", limit ? fmt_value(*limit) : "-", "n/a",
           target ? fmt::format("{} {:.2f}", higher_is_better ? ">=" : "<=", *target) : "-", why});
      return;
    }
    double ratio = *store / *limit;
    std::string result = "info";
    if (target) {
      bool pass = higher_is_better ? ratio >= *target : ratio <= *target;
      result = pass ? "PASS" : "MISS";
    }
    t.AddRow({std::move(name), fmt_value(*store), fmt_value(*limit), fmt::format("{:.2f}", ratio),
              target ? fmt::format("{} {:.2f}", higher_is_better ? ">=" : "<=", *target) : "-",
              result});
  };
  auto batch_rate = [&](int n) -> std::optional<double> {
    auto it = limits.batch.find(n);
    if (it == limits.batch.end()) return std::nullopt;
    return it->second.messages_per_sec;
  };
  auto sync_rate = [&](int n) -> std::optional<double> {
    const CaseResult* c = FindCase(cases, FlushDiskType::kSyncFlush, n);
    if (!c) return std::nullopt;
    return c->msgs_per_sec;
  };

  row("SYNC_FLUSH 64 in flight msgs/s / ideal group commit N=64", sync_rate(64), batch_rate(64),
      "msgs/s", 0.80, true);
  {
    const CaseResult* c = FindCase(cases, FlushDiskType::kSyncFlush, 1);
    std::optional<double> store_p50;
    if (c) store_p50 = c->latency.p50_us();
    std::optional<double> raw;
    if (limits.prezeroed) raw = limits.prezeroed->p50_us;
    row("SYNC_FLUSH 1 appender p50 / raw pre-zeroed write+fdatasync p50", store_p50, raw, "us",
        1.30, false);
  }
  {
    // The target counts the ways a broker appends (one blocking appender, appends in flight);
    // the blocking threads get an informational row of their own.
    const CaseResult* best = nullptr;
    for (const CaseResult& c : cases) {
      if (c.ran && c.mode == FlushDiskType::kAsyncFlush && IsPrimary(c) &&
          (!best || c.msgs_per_sec > best->msgs_per_sec)) {
        best = &c;
      }
    }
    std::optional<double> limit;
    if (limits.memcpy_crc) limit = limits.memcpy_crc->ops_per_sec;
    row(best ? fmt::format("ASYNC_FLUSH best ({}) msgs/s / memcpy+CRC32 ops/s", ShortLabel(*best))
             : std::string("ASYNC_FLUSH best msgs/s / memcpy+CRC32 ops/s"),
        best ? std::optional<double>(best->msgs_per_sec) : std::nullopt, limit, "msgs/s",
        kAsyncTarget, true);
    // The same target as a CPU budget: at kAsyncTarget x the limit, all of this machine's cores
    // together may spend this much per message (appending, dispatch, flushing, the kernel).
    if (best && limit) {
      row(fmt::format("ASYNC_FLUSH best ({}) CPU per msg / all cores at {:.2f} x memcpy+CRC32",
                      ShortLabel(*best), kAsyncTarget),
          CpuUsPerMessage(*best), HardwareCores() * 1e6 / (kAsyncTarget * *limit), "us",
          std::nullopt, false);
    }
    for (const CaseResult& c : cases) {
      if (c.ran && c.mode == FlushDiskType::kAsyncFlush && !IsPrimary(c)) {
        row(fmt::format("ASYNC_FLUSH {} msgs/s / memcpy+CRC32 ops/s", ShortLabel(c)),
            c.msgs_per_sec, limit, "msgs/s", std::nullopt, true);
      }
    }
  }
  for (int n : {1, 8}) {
    if (sync_rate(n)) {
      row(fmt::format("SYNC_FLUSH {} msgs/s / ideal group commit N={}",
                      n == 1 ? std::string("1 appender") : fmt::format("{} in flight", n), n),
          sync_rate(n), batch_rate(n), "msgs/s", std::nullopt, true);
    }
  }
  for (int n : kBatchSizes) {
    if (n == 1) continue;
    if (const CaseResult* c =
            FindCase(cases, FlushDiskType::kSyncFlush, n, AppendModel::kBlockingThreads)) {
      row(fmt::format("SYNC_FLUSH {} blocking threads msgs/s / ideal group commit N={}", n, n),
          c->msgs_per_sec, batch_rate(n), "msgs/s", std::nullopt, true);
    }
  }
  t.Print(out);
}

void FillFigures(const Limits& limits, const std::vector<CaseResult>& cases,
                 StoreBenchmarkFigures* figures) {
  *figures = StoreBenchmarkFigures{};
  for (const CaseResult& c : cases) {
    if (!c.ran) continue;
    figures->cases.push_back({c.mode, c.threads, c.model == AppendModel::kBlockingThreads,
                              c.msgs_per_sec, c.latency.p50_us(), c.latency.p99_us()});
  }
  if (limits.prezeroed) figures->fdatasync_p50_us = limits.prezeroed->p50_us;
  for (const auto& [n, stats] : limits.batch) {
    figures->ideal_group_commit_msgs_per_sec[n] = stats.messages_per_sec;
  }
}

// ---------------------------------------------------------------------------------------------
// d) Crash recovery

// How long the second child of each recovery size appends before it is killed.
constexpr double kTailSeconds = 1.0;

// What a filling child reports through the pipe, once, when it reached its target or its time
// (or failed). Plain data, smaller than PIPE_BUF so that one write() delivers it whole.
struct FillReport {
  int32_t failed = 0;
  int64_t start_offset = 0;  // end of the log when the child's store had opened
  int64_t messages = 0;
  int64_t max_offset = 0;
  int64_t flushed_offset = 0;
  int64_t dispatched_offset = 0;
  double fill_seconds = 0;
  char error[512] = {};
};
static_assert(sizeof(FillReport) < PIPE_BUF);

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
         (max_seconds <= 0 || Since(t0) < max_seconds)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  report.fill_seconds = Since(t0);
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

// One child filling the store and killed with SIGKILL, and the reopen after it.
struct CrashRun {
  bool ran = false;  // the child reported and was killed
  FillReport fill;
  double kill_ms = 0;  // from reading the child's report to its death (waitpid)
  bool abort_marker = false;
  bool checkpoint_valid = false;
  int64_t checkpoint_physic = 0;
  int64_t checkpoint_logics = 0;
  int64_t checkpoint_index = 0;
  bool reopened = false;
  store::RecoveryInfo recovery;
  int64_t lost_bytes = 0;  // appended before the report, missing after recovery
};

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
  run->kill_ms = Since(t_report) * 1e3;
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
  if (shutdown_seconds) *shutdown_seconds = Since(t0);
  if (!s.ok()) return "clean shutdown after recovery: " + s.ToString();
  return "";
}

struct RecoveryResult {
  double gib = 0;
  std::string failure;  // empty when every step ran
  CrashRun full;        // filled to `gib` at full speed, then killed
  double clean_shutdown_seconds = 0;
  bool clean_opened = false;
  store::RecoveryInfo clean;
  CrashRun tail;  // reopened, kTailSeconds of full-speed appends, then killed
};

bool Failed(const RecoveryResult& r) {
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

void PrintRecovery(const std::vector<RecoveryResult>& results, std::ostream& out) {
  std::vector<std::string> header = {"store holding"};
  for (const auto& r : results) header.push_back(GibLabel(r.gib));
  TextTable t(header);
  std::vector<std::string> notes;  // numbered, printed under the table
  auto row = [&](std::string name, auto cell) {
    std::vector<std::string> cells = {std::move(name)};
    for (const auto& r : results) cells.push_back(cell(r));
    t.AddRow(std::move(cells));
  };
  auto blank = [&](std::string name) {
    row(std::move(name), [](const RecoveryResult&) { return std::string(); });
  };
  auto crash_rows = [&](CrashRun RecoveryResult::*which) {
    row("  appended", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      if (!c.ran) return std::string("-");
      int64_t bytes = c.fill.max_offset - c.fill.start_offset;
      return fmt::format("{} in {:.1f} s ({} MB/s)", Bytes(bytes), c.fill.fill_seconds,
                         Thousands(static_cast<double>(bytes) / c.fill.fill_seconds / 1e6));
    });
    row("  at the child's report: end of log", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.ran ? BytesExact(c.fill.max_offset) : "-";
    });
    row("    not yet fdatasync'ed", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.ran ? Bytes(c.fill.max_offset - c.fill.flushed_offset) : "-";
    });
    row("    not yet dispatched to consume queues + index", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.ran ? Bytes(c.fill.max_offset - c.fill.dispatched_offset) : "-";
    });
    row("  SIGKILL sent and the child dead after", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.ran ? fmt::format("{:.0f} ms", c.kill_ms) : "-";
    });
    row("  abort marker left", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.ran ? std::string(c.abort_marker ? "yes" : "NO") : "-";
    });
    row("  checkpoint: commit log / CQ / index flushed to", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      if (!c.ran) return std::string("-");
      if (!c.checkpoint_valid) return std::string("invalid");
      return fmt::format("{} / {} / {}", Bytes(c.checkpoint_physic), Bytes(c.checkpoint_logics),
                         Bytes(c.checkpoint_index));
    });
    row("  recovery: MessageStore::Open", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.reopened ? fmt::format("{:.3f} s", c.recovery.seconds) : "-";
    });
    row("    started at", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.reopened ? BytesExact(c.recovery.start_offset) : "-";
    });
    row("    scanned bytes", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.reopened ? BytesExact(c.recovery.scanned_bytes) : "-";
    });
    row("    records re-dispatched", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.reopened ? Thousands(static_cast<double>(c.recovery.redispatched_records)) : "-";
    });
    row("    end of log after recovery", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.reopened ? BytesExact(c.recovery.max_offset) : "-";
    });
    row("    rate (scanned bytes / time)", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      if (!c.reopened || c.recovery.seconds <= 0) return std::string("-");
      return fmt::format("{} MB/s", Thousands(static_cast<double>(c.recovery.scanned_bytes) /
                                              c.recovery.seconds / 1e6));
    });
    row("    torn tail cut", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      if (!c.reopened) return std::string("-");
      if (!c.recovery.truncated) return std::string("no");
      notes.push_back(fmt::format("{}, step {}: torn tail cut: {}", GibLabel(r.gib),
                                  which == &RecoveryResult::full ? 1 : 3,
                                  c.recovery.truncation_reason));
      return fmt::format("yes (note {})", notes.size());
    });
    row("    everything appended before the report kept", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      if (!c.reopened) return std::string("-");
      return c.lost_bytes == 0 ? std::string("yes")
                               : fmt::format("NO: {} lost", Bytes(c.lost_bytes));
    });
  };

  blank("1. fill at full speed, kill -9");
  crash_rows(&RecoveryResult::full);
  blank("2. clean shutdown, reopen");
  row("  clean shutdown (just after recovery)", [&](const RecoveryResult& r) {
    return r.full.reopened ? fmt::format("{:.3f} s", r.clean_shutdown_seconds) : "-";
  });
  row("  clean reopen: MessageStore::Open", [&](const RecoveryResult& r) {
    return r.clean_opened ? fmt::format("{:.3f} s", r.clean.seconds) : "-";
  });
  row("    scanned bytes", [&](const RecoveryResult& r) {
    return r.clean_opened ? BytesExact(r.clean.scanned_bytes) : "-";
  });
  row("    found an abort marker", [&](const RecoveryResult& r) {
    return r.clean_opened ? std::string(r.clean.abnormal ? "YES" : "no") : "-";
  });
  blank(fmt::format("3. {:g} s of full-speed appends, kill -9", kTailSeconds));
  crash_rows(&RecoveryResult::tail);
  t.Print(out);
  for (size_t i = 0; i < notes.size(); ++i) out << "  note " << i + 1 << ": " << notes[i] << '\n';
  for (const auto& r : results) {
    if (!r.failure.empty()) out << "  ! " << GibLabel(r.gib) << ": " << r.failure << '\n';
  }
  out << std::flush;
}

// ---------------------------------------------------------------------------------------------
// Options

std::vector<std::string_view> SplitList(std::string_view text) {
  std::vector<std::string_view> items;
  while (true) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    items.push_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return items;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status ValidateOptions(const StoreBenchmarkOptions& o) {
  if (!(o.seconds > 0))
    return Status::InvalidArgument(fmt::format("--seconds {} must be positive", o.seconds));
  if (!(o.warmup_seconds >= 0)) {
    return Status::InvalidArgument(
        fmt::format("--warmup {} must not be negative", o.warmup_seconds));
  }
  for (int n : o.threads) {
    if (n <= 0 || n > 4096)
      return Status::InvalidArgument(fmt::format("appends in flight {} is not in 1..4096", n));
  }
  for (int n : o.blocking_threads) {
    if (n <= 0 || n > 4096)
      return Status::InvalidArgument(fmt::format("blocking thread count {} is not in 1..4096", n));
  }
  if (o.submitters < 0 || o.submitters > 256) {
    return Status::InvalidArgument(
        fmt::format("submitter count {} is not in 0..256 (0: automatic)", o.submitters));
  }
  for (double g : o.recovery_sizes_gib) {
    if (!(g > 0) || g > 1024) {
      return Status::InvalidArgument(fmt::format("recovery size {} GiB is not in (0, 1024]", g));
    }
  }
  if (o.body_size == 0 || o.body_size > 4 * kMiB) {
    return Status::InvalidArgument(fmt::format("body size {} is not in 1..4 MiB", o.body_size));
  }
  if (o.queues <= 0)
    return Status::InvalidArgument(fmt::format("queue count {} must be positive", o.queues));
  if (o.topic.empty()) return Status::InvalidArgument("the topic is empty");
  if (o.dir.empty()) return Status::InvalidArgument("the directory is empty");
  return Status::Ok();
}

}  // namespace

const StoreBenchmarkFigures::Case* StoreBenchmarkFigures::Find(store::FlushDiskType mode,
                                                               int threads) const {
  for (const Case& c : cases) {
    if (c.mode == mode && c.threads == threads && c.blocking == (threads == 1)) return &c;
  }
  return nullptr;
}

std::string_view FlushDiskTypeName(store::FlushDiskType type) {
  return type == FlushDiskType::kSyncFlush ? "SYNC_FLUSH" : "ASYNC_FLUSH";
}

Result<std::vector<int>> ParseThreadList(std::string_view text) {
  std::vector<int> out;
  for (std::string_view item : SplitList(text)) {
    int v = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() || v <= 0) {
      return Status::InvalidArgument(
          fmt::format("'{}' in '{}' is not a positive thread count", item, text));
    }
    out.push_back(v);
  }
  return out;
}

Result<std::vector<store::FlushDiskType>> ParseFlushModeList(std::string_view text) {
  std::vector<store::FlushDiskType> out;
  for (std::string_view item : SplitList(text)) {
    std::string m = Lower(item);
    if (m == "sync" || m == "sync_flush") {
      out.push_back(FlushDiskType::kSyncFlush);
    } else if (m == "async" || m == "async_flush") {
      out.push_back(FlushDiskType::kAsyncFlush);
    } else {
      return Status::InvalidArgument(
          fmt::format("'{}' in '{}' is not a flush mode (sync or async)", item, text));
    }
  }
  return out;
}

Result<std::vector<double>> ParseGibList(std::string_view text) {
  std::vector<double> out;
  for (std::string_view item : SplitList(text)) {
    double v = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() || !(v > 0)) {
      return Status::InvalidArgument(
          fmt::format("'{}' in '{}' is not a positive size in GiB", item, text));
    }
    out.push_back(v);
  }
  return out;
}

int RunStoreBenchmark(const StoreBenchmarkOptions& options, std::ostream& out) {
  if (Status s = ValidateOptions(options); !s.ok()) {
    out << "invalid options: " << s.message() << '\n' << std::flush;
    return 2;
  }
  std::error_code ec;
  const bool created_dir = !std::filesystem::exists(options.dir, ec);
  std::filesystem::create_directories(options.dir, ec);
  if (ec) {
    out << "cannot create " << options.dir.string() << ": " << ec.message() << '\n' << std::flush;
    return 1;
  }
  const std::filesystem::path dir = std::filesystem::absolute(options.dir, ec);
  auto remove_dir_if_created = [&] {
    std::error_code ignored;
    if (created_dir && std::filesystem::is_empty(dir, ignored))
      std::filesystem::remove(dir, ignored);
  };
  if (struct statfs fs;
      statfs(dir.c_str(), &fs) == 0 && (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC)) {
    out << dir.string()
        << " is on tmpfs/ramfs, where fdatasync does nothing; give --dir on the disk under test\n"
        << std::flush;
    remove_dir_if_created();
    return 2;
  }
  const std::filesystem::path run_dir = dir / fmt::format("holdfast-store-bench-{}", getpid());
  std::filesystem::create_directories(run_dir, ec);
  if (ec) {
    out << "cannot create " << run_dir.string() << ": " << ec.message() << '\n' << std::flush;
    remove_dir_if_created();
    return 1;
  }

  int64_t record_size = MessageMaker(options, 0).RecordSize();
  out << "Holdfast store benchmark\n";
  out << "machine:  " << DescribeMachine(dir) << '\n';
  out << "command:  " << (options.command_line.empty() ? "(not given)" : options.command_line)
      << '\n';
  out << "data:     " << run_dir.string() << " (removed at the end)\n";
  out << fmt::format(
      "messages: {}-byte body, topic {}, {} queues, TAGS + KEYS + UNIQ_KEY properties, index {}; "
      "{} bytes per stored record\n",
      options.body_size, options.topic, options.queues, options.index ? "on" : "off", record_size);
  out << fmt::format(
      "store:    MessageStoreConfig defaults otherwise (commit-log segments of {}, "
      "warm mapped files {}, flushIntervalCommitLog {} ms)\n",
      Bytes(MessageStoreConfig{}.mapped_file_size_commit_log),
      MessageStoreConfig{}.warm_mapped_file_enable ? "on" : "off",
      MessageStoreConfig{}.flush_interval_commit_log);
  out << fmt::format(
             "timing:   {:g} s per limit measurement and per store case; each case on a fresh "
             "store, measured after its first PutMessage returned, its next commit-log segment "
             "was prepared and {:g} s of warm-up; syncfs() before each measurement\n",
             options.seconds, options.warmup_seconds)
      << std::flush;

  bool ok = true;
  Limits limits;
  if (options.skip_limits) {
    Section(out, "a) Physical limits: skipped (--skip-limits)");
  } else {
    const std::filesystem::path limits_dir = run_dir / "limits";
    std::filesystem::create_directories(limits_dir, ec);
    ok &= RunLimits(limits_dir, options.seconds, out, &limits);
    std::filesystem::remove_all(limits_dir, ec);
  }

  std::vector<CaseResult> cases;
  if (options.modes.empty() || options.threads.empty()) {
    Section(out, "b) Store appends: no cases (empty --modes or --threads)");
  } else {
    Section(
        out,
        fmt::format(
            "b) Store appends of 1 message per call, {:g} s per case; latency of each PUT_OK.\n"
            "   1 appender: one thread calling the blocking PutMessage; latency of the call.\n"
            "   N in flight: submitter threads keep N PutMessageAsync calls outstanding, as N "
            "producers with one send\n"
            "   outstanding each load a broker; latency from the call to the store's completion "
            "(SYNC_FLUSH: after the\n"
            "   covering fdatasync; ASYNC_FLUSH: immediate, inside the call). The submitters "
            "encode the messages.\n"
            "   N blocking threads: N threads each calling PutMessage, for comparison only (a "
            "broker does not block\n"
            "   its threads on the disk).\n"
            "   unsynced / undispatched: commit-log bytes not yet fdatasync'ed / not yet "
            "dispatched to consume queues +\n"
            "   index when the window ended; catch-up: from the last completion until dispatch "
            "reached the end of the log.",
            options.seconds));
  }
  for (size_t m = 0; m < options.modes.size(); ++m) {
    const FlushDiskType mode = options.modes[m];
    auto run = [&](AppendModel model, int threads) {
      CaseResult c = RunCase(run_dir, options, mode, model, threads);
      if (!c.ran || !c.failure.empty() || !c.other.empty()) ok = false;
      cases.push_back(std::move(c));
    };
    for (int threads : options.threads) {
      run(threads == 1 ? AppendModel::kBlockingThreads : AppendModel::kInFlight, threads);
    }
    for (int threads : options.blocking_threads) {
      const bool duplicate =
          threads == 1 &&
          std::find(options.threads.begin(), options.threads.end(), 1) != options.threads.end();
      if (!duplicate) run(AppendModel::kBlockingThreads, threads);
    }
    if (m > 0) out << '\n';
    PrintCases(cases, mode, out);
    PrintCpu(cases, mode, out);
  }

  PrintRatios(limits, !options.skip_limits, cases, out);

  if (options.skip_recovery) {
    Section(out, "d) Crash recovery: skipped (--skip-recovery)");
  } else if (!options.recovery_sizes_gib.empty()) {
    Section(out,
            fmt::format("d) Crash recovery, per size on one store: (1) a child process fills it "
                        "at full speed (ASYNC_FLUSH, {} threads x PutMessages of {}) and is killed "
                        "with SIGKILL, (2) it is recovered, shut down cleanly and reopened, (3) a "
                        "second child appends to it for {:g} s and is killed",
                        kFillThreads, kFillBatch, kTailSeconds));
    std::vector<RecoveryResult> results;
    for (double gib : options.recovery_sizes_gib) {
      results.push_back(RunRecovery(run_dir, options, gib, out));
      if (Failed(results.back())) ok = false;
    }
    PrintRecovery(results, out);
    out << "  Recovery re-validates and re-dispatches every record past the lowest checkpoint "
           "offset (commit log, consume\n"
           "  queues, index). SIGKILL ends the process, not the machine: the page cache keeps "
           "every appended byte, but a\n"
           "  write the kill interrupts can stop at a page boundary, which recovery cuts as a torn "
           "tail.\n";
  }

  if (options.figures != nullptr) FillFigures(limits, cases, options.figures);

  std::filesystem::remove_all(run_dir, ec);
  remove_dir_if_created();
  out << '\n'
      << (ok ? "done: every measurement ran and the store returned only PUT_OK\n"
             : "done: FAILURES above (lines starting with '!')\n")
      << "data removed: " << run_dir.string() << '\n'
      << std::flush;
  return ok ? 0 : 1;
}

}  // namespace holdfast::tools
