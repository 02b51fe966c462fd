#include "tools/bench/timer/timer_benchmark.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <ostream>
#include <thread>

#include "common/clock.h"
#include "common/message_codec.h"
#include "common/process_memory.h"
#include "store/message_store.h"
#include "store/timer/timer_log.h"
#include "store/timer/timer_message_store.h"
#include "store/timer/timer_wheel.h"
#include "tools/bench/report_format.h"
#include "tools/latency_recorder.h"
#include "tools/limits/disk_limits.h"

namespace holdfast::tools {

namespace {

constexpr char kTopic[] = "BenchTimer";
constexpr char kDueProperty[] = "BENCH_DUE";
constexpr int kInFlight = 256;

// Puts n messages with TIMER_DELIVER_MS = due(i) (and BENCH_DUE, which survives delivery), up to
// kInFlight at once; false when one was not stored.
template <typename DueFn>
bool PutTimers(store::MessageStore* store, int64_t n, int body_size, int32_t queue_id, DueFn due) {
  std::mutex mu;
  std::condition_variable cv;
  int64_t in_flight = 0;
  bool failed = false;
  const std::string body(static_cast<size_t>(body_size), 'b');
  for (int64_t i = 0; i < n; ++i) {
    MessageExt m;
    m.topic = kTopic;
    m.queue_id = queue_id;
    m.body = body;
    m.born_timestamp = NowMillis();
    m.born_host = HostAddress::Ipv4(127, 0, 0, 1, 40000);
    m.store_host = HostAddress::Ipv4(127, 0, 0, 1, 10911);
    const std::string d = std::to_string(due(i));
    m.properties = EncodeProperties({{"TIMER_DELIVER_MS", d},
                                     {kDueProperty, d},
                                     {"UNIQ_KEY", fmt::format("B{:08X}{:08X}", queue_id, i)}});
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < kInFlight; });
      ++in_flight;
    }
    store->PutMessageAsync(std::move(m), [&](store::PutMessageResult r) {
      std::lock_guard lock(mu);
      if (!r.ok()) failed = true;
      --in_flight;
      cv.notify_all();
    });
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return in_flight == 0; });
  return !failed;
}

bool WaitFor(const std::function<bool()>& done, std::chrono::seconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  while (!done()) {
    if (SteadyClock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

struct CaseResult {
  double put_rate = 0;
  double file_rate = 0;
  LatencySummary lateness;  // ns
  int64_t delivered = 0;
  int64_t rss = 0;
  int64_t rss_anon = 0;
  int64_t log_bytes = 0;
};

bool RunCase(const std::filesystem::path& dir, const TimerBenchmarkOptions& o, int64_t waiting,
             CaseResult* r, std::ostream& out) {
  std::filesystem::remove_all(dir);
  store::MessageStoreConfig config;
  config.store_path_root_dir = dir.string();
  config.flush_disk_type = store::FlushDiskType::kSyncFlush;
  config.message_index_enable = false;
  auto store = store::MessageStore::Open(config);
  if (!store.ok()) {
    out << "store: " << store.status().ToString() << "\n";
    return false;
  }
  auto timer = store::timer::TimerMessageStore::Open(store->get(), config);
  if (!timer.ok()) {
    out << "timer store: " << timer.status().ToString() << "\n";
    return false;
  }
  (*timer)->Start();
  // Waiting: due in an hour, spread over a minute of seconds.
  const int64_t far = NowMillis() + 3600'000;
  auto t0 = SteadyClock::now();
  if (!PutTimers(store->get(), waiting, o.body_size, 0,
                 [far](int64_t i) { return far + i % 60'000; })) {
    out << "a put failed\n";
    return false;
  }
  r->put_rate = static_cast<double>(waiting) / SecondsSince(t0);
  if (!WaitFor([&] { return (*timer)->stats().filed >= waiting; }, std::chrono::seconds(600))) {
    out << "the timer store did not file every message\n";
    return false;
  }
  r->file_rate = static_cast<double>(waiting) / SecondsSince(t0);

  // Probes: 2000 due in each second, starting two seconds from now.
  const int64_t start = (NowMillis() / 1000 + 2) * 1000;
  if (!PutTimers(store->get(), o.probes, o.body_size, 1,
                 [start](int64_t i) { return start + i / 2; })) {
    out << "a probe put failed\n";
    return false;
  }
  const int64_t last_due = start + o.probes / 2;
  WaitFor([&] { return (*store)->GetMaxOffsetInQueue(kTopic, 1) >= o.probes; },
          std::chrono::seconds(30 + (last_due - NowMillis()) / 1000));
  LatencyRecorder lateness;
  lateness.Reserve(static_cast<size_t>(o.probes));
  for (int64_t offset = 0;;) {
    store::GetMessageResult got = (*store)->GetMessage(kTopic, 1, offset, 256, 8 << 20);
    if (got.status != store::GetMessageStatus::kFound) break;
    for (const std::string& record : got.messages) {
      auto v = DecodeStoredRecord(record, false);
      if (!v.ok()) continue;
      auto due = FindProperty(v->properties, kDueProperty);
      if (!due) continue;
      lateness.Record((v->store_timestamp - std::stoll(std::string(*due))) * 1'000'000);
    }
    offset = got.next_begin_offset;
  }
  r->lateness = lateness.Summarize();
  r->delivered = static_cast<int64_t>(lateness.count());
  if (auto mem = ReadProcessMemory(getpid()); mem.ok()) {
    r->rss = mem->rss_bytes;
    r->rss_anon = mem->rss_anon_bytes;
  }
  r->log_bytes = (*timer)->stats().log_bytes;
  (void)(*timer)->Shutdown();
  (void)(*store)->Shutdown();
  return true;
}

}  // namespace

int RunTimerBenchmark(const TimerBenchmarkOptions& o, std::ostream& out) {
  const std::filesystem::path root =
      std::filesystem::path(o.dir) / fmt::format("holdfast-timer-bench-{}", getpid());
  std::filesystem::create_directories(root);
  out << "# holdfast bench timer\n" << o.command_line << "\n";
  int status = 0;

  Section(out, "Physical limit (same disk, same run)");
  double limit = 0;
  auto batch = MeasureBatchFdatasync(root, 64, 1024);
  if (batch.ok()) {
    limit = batch->messages_per_sec;
    out << fmt::format(
        "ideal group commit, 64 x 1 KiB pwrite + fdatasync: {} msgs/s "
        "({} fdatasync/s)\n",
        Thousands(limit), Thousands(batch->syncs_per_sec));
  } else {
    out << "fdatasync measurement failed: " << batch.status().ToString() << "\n";
    status = 1;
  }

  Section(out, "Timer store, SYNC_FLUSH, per count of messages waiting");
  out << "| waiting | put msgs/s | vs limit | filed msgs/s | probes delivered | lateness p50 | "
         "p99 | max | RSS | RssAnon | timer log |\n|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (int64_t waiting : o.waiting) {
    CaseResult r;
    if (!RunCase(root / "store", o, waiting, &r, out)) {
      status = 1;
      continue;
    }
    out << fmt::format("| {} | {} | {:.2f} | {} | {}/{} | {} | {} | {} | {} | {} | {} |\n",
                       Thousands(static_cast<double>(waiting)), Thousands(r.put_rate),
                       limit > 0 ? r.put_rate / limit : 0.0, Thousands(r.file_rate), r.delivered,
                       o.probes, Millis(r.lateness.p50_ns / 1e6), Millis(r.lateness.p99_ns / 1e6),
                       Millis(r.lateness.max_ns / 1e6), Mib(static_cast<double>(r.rss)),
                       Mib(static_cast<double>(r.rss_anon)), Mib(static_cast<double>(r.log_bytes)));
  }
  out << "Lateness beside its floor: a message is filed under the second its due time rounds up "
         "to, so 0..1000 ms late by design (p50 about 500 ms).\n";

  Section(out, "10 million waiting: the bound from the file layout");
  const int64_t slots = 2 * 259200;
  const int64_t wheel = slots * store::timer::TimerWheel::kSlotSize;
  const int64_t log = 10'000'000 * store::timer::TimerLog::kEntrySize;
  out << fmt::format(
      "wheel: {} slots x {} B = {} mapped (the whole of it resident at most), independent of the "
      "count;\ntimer log: 10M x {} B = {} on disk, written through a mapping whose pages are "
      "unmapped once synced and read with pread, so not resident;\nper-message memory: none while "
      "waiting; while a second is delivered, {} B per message due in it.\n",
      slots, store::timer::TimerWheel::kSlotSize, Mib(static_cast<double>(wheel)),
      store::timer::TimerLog::kEntrySize, Mib(static_cast<double>(log)),
      store::timer::TimerLog::kEntrySize);
  std::filesystem::remove_all(root);
  return status;
}

}  // namespace holdfast::tools
