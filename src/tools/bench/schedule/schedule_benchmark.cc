#include "tools/bench/schedule/schedule_benchmark.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <ostream>
#include <vector>

#include "common/clock.h"
#include "common/message_codec.h"
#include "store/message_store.h"
#include "store/schedule/schedule_message_service.h"

namespace holdfast::tools {

namespace {

constexpr std::string_view kTopic = "ScheduleBench";

// fdatasync calls per second, each after a 4 KiB pwrite to a pre-written file, for about a second.
Result<double> MeasureFdatasyncRate(const std::string& dir) {
  const std::string path = dir + "/fdatasync-probe";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno(errno, "open " + path);
  std::string page(4096, 'x');
  constexpr int kPages = 256;
  Status s;
  for (int i = 0; i < kPages && s.ok(); ++i) {
    if (::pwrite(fd, page.data(), page.size(), static_cast<off_t>(i) * 4096) < 0) {
      s = Status::FromErrno(errno, "pwrite " + path);
    }
  }
  if (s.ok() && ::fsync(fd) != 0) s = Status::FromErrno(errno, "fsync " + path);
  int64_t syncs = 0;
  const auto start = SteadyClock::now();
  while (s.ok() && SecondsSince(start) < 1.0) {
    const off_t at = static_cast<off_t>(syncs % kPages) * 4096;
    if (::pwrite(fd, page.data(), page.size(), at) < 0) {
      s = Status::FromErrno(errno, "pwrite " + path);
    } else if (::fdatasync(fd) != 0) {
      s = Status::FromErrno(errno, "fdatasync " + path);
    }
    ++syncs;
  }
  const double seconds = SecondsSince(start);
  ::close(fd);
  ::unlink(path.c_str());
  if (!s.ok()) return s;
  return static_cast<double>(syncs) / seconds;
}

int64_t Percentile(std::vector<int64_t> sorted, double q) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

int Run(const ScheduleBenchmarkOptions& o, const std::string& work, std::ostream& out) {
  store::MessageStoreConfig config;
  config.store_path_root_dir = work + "/store";
  config.flush_disk_type = store::FlushDiskType::kSyncFlush;
  config.mapped_file_size_commit_log = 256LL << 20;
  config.message_delay_level = o.delay;
  auto opened = store::MessageStore::Open(config);
  if (!opened.ok()) {
    out << "cannot open the store: " << opened.status().ToString() << "\n";
    return 1;
  }
  std::unique_ptr<store::MessageStore> store = std::move(opened).value();
  const int64_t delay_ms = store->delay_levels().DelayMillis(1);
  const size_t n = static_cast<size_t>(o.messages);

  // When each delivered message (queue offset of the real topic's queue 0) became visible.
  std::vector<int64_t> visible_at(n, 0);
  std::mutex mu;
  std::condition_variable cv;
  int64_t visible = 0;
  store->SetMessageArrivingListener(
      [&](std::string_view topic, int32_t, int64_t max_offset, int64_t, int64_t) {
        if (topic != kTopic || max_offset < 1 || static_cast<size_t>(max_offset) > n) return;
        const int64_t now = NowMillis();
        std::lock_guard lock(mu);
        visible_at[static_cast<size_t>(max_offset - 1)] = now;
        ++visible;
        cv.notify_all();
      });

  store::schedule::ScheduleMessageService service(store.get(), store::FileSystem::Default());
  if (Status s = service.Start(); !s.ok()) {
    out << "cannot start the schedule service: " << s.ToString() << "\n";
    return 1;
  }

  // Put phase: every message in flight as an asynchronous put, at most `window` at a time.
  std::vector<int64_t> due(n, 0);
  int64_t answered = 0;
  int64_t failed = 0;
  constexpr int64_t kWindow = 8192;
  const std::string body(static_cast<size_t>(o.body_size), 'b');
  const auto put_start = SteadyClock::now();
  for (size_t i = 0; i < n; ++i) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return static_cast<int64_t>(i) - answered < kWindow; });
    }
    MessageExt m;
    m.topic = std::string(kTopic);
    m.queue_id = 0;
    m.born_timestamp = NowMillis();
    m.born_host = HostAddress::Ipv4(127, 0, 0, 1, 40000);
    m.store_host = HostAddress::Ipv4(127, 0, 0, 1, 10911);
    m.body = body;
    m.properties = EncodeProperties({{"DELAY", "1"}, {"UNIQ_KEY", fmt::format("{:024X}", i)}});
    store->PutMessageAsync(std::move(m), [&, i](store::PutMessageResult r) {
      std::lock_guard lock(mu);
      if (r.ok()) {
        due[i] = r.append.store_timestamp + delay_ms;
      } else {
        ++failed;
      }
      ++answered;
      cv.notify_all();
    });
  }
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return answered == static_cast<int64_t>(n); });
  }
  const double put_seconds = SecondsSince(put_start);
  if (failed > 0) {
    out << failed << " puts failed\n";
    return 1;
  }
  const auto [first_due, last_due] = std::minmax_element(due.begin(), due.end());
  const bool late_start = NowMillis() >= *first_due;

  // Deliveries: wait for every one, with a generous deadline.
  {
    std::unique_lock lock(mu);
    const int64_t deadline_ms = *last_due + 60'000 - NowMillis();
    cv.wait_for(lock, std::chrono::milliseconds(std::max<int64_t>(deadline_ms, 1)),
                [&] { return visible == static_cast<int64_t>(n); });
  }
  service.Shutdown();
  store->SetMessageArrivingListener(nullptr);

  // Queue offset -> message: the UNIQ_KEY says which put it was.
  std::vector<int64_t> lateness;
  lateness.reserve(n);
  int64_t last_visible = 0;
  for (int64_t offset = 0; offset < static_cast<int64_t>(n);) {
    store::GetMessageResult r = store->GetMessage(kTopic, 0, offset, 256, 16 << 20);
    if (r.status != store::GetMessageStatus::kFound) break;
    for (size_t k = 0; k < r.messages.size(); ++k) {
      auto view = DecodeStoredRecord(r.messages[k], false);
      if (!view.ok()) continue;
      auto uniq = FindProperty(view->properties, "UNIQ_KEY");
      const size_t i = uniq ? std::stoull(std::string(*uniq), nullptr, 16) : n;
      const size_t at = static_cast<size_t>(r.queue_offsets[k]);
      if (i >= n || visible_at[at] == 0) continue;
      lateness.push_back(visible_at[at] - due[i]);
      last_visible = std::max(last_visible, visible_at[at]);
    }
    offset = r.next_begin_offset;
  }
  std::sort(lateness.begin(), lateness.end());

  auto sync_rate = MeasureFdatasyncRate(work);
  const double burst_seconds =
      std::max<double>(1e-3, static_cast<double>(last_visible - *first_due) / 1000.0);
  const double delivery_rate = static_cast<double>(lateness.size()) / burst_seconds;

  out << fmt::format("holdfast bench schedule: {}\n", o.command_line);
  out << fmt::format(
      "{} delayed messages of {} B, delay {}, SYNC_FLUSH; put in {:.2f} s, so due within {:.2f} s "
      "of each other{}\n",
      n, o.body_size, o.delay, put_seconds, static_cast<double>(*last_due - *first_due) / 1000.0,
      late_start
          ? " (the put phase outlasted the delay: lateness includes it; use a longer --delay)"
          : "");
  out << fmt::format("delivered {} of {} ({} delivered by the service)\n", lateness.size(), n,
                     service.delivered());
  out << fmt::format("lateness (visible to consumers - due), ms: p50 {}  p99 {}  max {}  min {}\n",
                     Percentile(lateness, 0.5), Percentile(lateness, 0.99),
                     lateness.empty() ? 0 : lateness.back(),
                     lateness.empty() ? 0 : lateness.front());
  if (sync_rate.ok()) {
    out << fmt::format(
        "delivery rate {:.0f} msgs/s (first due to last visible); fdatasync rate on this disk "
        "{:.0f} /s (4 KiB pwrite + fdatasync); ratio {:.1f} messages per sync\n",
        delivery_rate, *sync_rate, delivery_rate / *sync_rate);
  } else {
    out << "fdatasync rate: " << sync_rate.status().ToString() << "\n";
  }
  return lateness.size() == n ? 0 : 1;
}

}  // namespace

int RunScheduleBenchmark(const ScheduleBenchmarkOptions& o, std::ostream& out) {
  const std::string work = fmt::format("{}/holdfast-schedule-bench-{}", o.dir, ::getpid());
  std::error_code ec;
  std::filesystem::create_directories(work, ec);
  if (ec) {
    out << "cannot create " << work << ": " << ec.message() << "\n";
    return 1;
  }
  const int rc = Run(o, work, out);
  std::filesystem::remove_all(work, ec);
  return rc;
}

}  // namespace holdfast::tools
