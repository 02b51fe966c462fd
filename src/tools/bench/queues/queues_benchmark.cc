#include "tools/bench/queues/queues_benchmark.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <ostream>
#include <type_traits>

#include "common/clock.h"
#include "common/disk_usage.h"
#include "common/message.h"
#include "common/process_memory.h"
#include "store/consume_queue.h"
#include "store/mapped_file.h"
#include "store/message_store.h"
#include "tools/bench/forked_child.h"
#include "tools/bench/queues/queue_append_benchmark.h"
#include "tools/bench/report_format.h"

namespace holdfast::tools {

namespace {

using store::MessageStore;
using store::MessageStoreConfig;

constexpr int kQueuesPerTopic = 8;  // RocketMQ's default for a new topic

std::string TopicOf(int queue) { return fmt::format("BenchQueues{}", queue / kQueuesPerTopic); }
int32_t QueueIdOf(int queue) { return queue % kQueuesPerTopic; }

// The broker's settings (`holdfast standalone`): defaults, SYNC_FLUSH.
MessageStoreConfig StoreConfig(const std::string& root) {
  MessageStoreConfig c;
  c.store_path_root_dir = root;
  c.flush_disk_type = store::FlushDiskType::kSyncFlush;
  return c;
}

// Plain values crossing the pipe from a child.
template <typename T>
std::string ToBytes(const T& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  return std::string(reinterpret_cast<const char*>(&v), sizeof v);
}

template <typename T>
Result<T> FromBytes(const Result<std::string>& bytes) {
  if (!bytes.ok()) return bytes.status();
  if (bytes->size() != sizeof(T)) return Status::IoError("the child's answer has the wrong size");
  T v;
  std::memcpy(&v, bytes->data(), sizeof v);
  return v;
}

double SecondsSince(SteadyClock::time_point t0) {
  return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

int64_t RssNow() {
  auto memory = ReadProcessMemory(::getpid());
  return memory.ok() ? memory->rss_bytes : 0;
}

struct FillReport {
  double seconds = 0;
};

// In a child: a new store with `messages_per_queue` messages in each of `queues` queues, shut down
// cleanly.
Result<std::string> FillStore(const QueuesBenchmarkOptions& o, const std::string& root,
                              int queues) {
  const auto t0 = SteadyClock::now();
  auto store = MessageStore::Open(StoreConfig(root));
  if (!store.ok()) return store.status();
  std::mutex mu;
  std::condition_variable done;
  int64_t pending = int64_t{queues} * o.messages_per_queue;
  std::string failure;
  MessageExt tmpl;
  tmpl.body.assign(o.body_size, 'q');
  tmpl.born_host = HostAddress::Ipv4(127, 0, 0, 1, 40000);
  tmpl.store_host = HostAddress::Ipv4(127, 0, 0, 1, 10911);
  int64_t seq = 0;
  for (int m = 0; m < o.messages_per_queue; ++m) {
    for (int q = 0; q < queues; ++q) {
      MessageExt msg = tmpl;
      msg.topic = TopicOf(q);
      msg.queue_id = QueueIdOf(q);
      msg.born_timestamp = NowMillis();
      PropertyMap props;
      props.emplace(property::kUniqClientMessageIdKeyIndex,
                    fmt::format("7F000001{:08X}{:016X}", ::getpid(), seq++));
      msg.properties = EncodeProperties(props);
      (*store)->PutMessageAsync(std::move(msg), [&](store::PutMessageResult r) {
        std::lock_guard lock(mu);
        if (r.status != store::PutMessageStatus::kPutOk && failure.empty()) failure = r.error;
        if (--pending == 0) done.notify_all();
      });
    }
  }
  {
    std::unique_lock lock(mu);
    done.wait(lock, [&] { return pending == 0; });
    if (!failure.empty()) return Status::IoError("a put failed: " + failure);
  }
  if (!(*store)->WaitForDispatch(std::chrono::minutes(5))) {
    return Status::IoError("dispatch did not catch up");
  }
  HOLDFAST_RETURN_IF_ERROR((*store)->Shutdown());
  return ToBytes(FillReport{SecondsSince(t0)});
}

struct StartReport {
  double seconds = 0;
  int64_t rss_added = 0;
  int64_t rss_after = 0;
};

// In a child: opens (recovers) the store and reports what that took.
Result<std::string> RestartStore(const std::string& root) {
  const int64_t rss_before = RssNow();
  const auto t0 = SteadyClock::now();
  auto store = MessageStore::Open(StoreConfig(root));
  if (!store.ok()) return store.status();
  StartReport r;
  r.seconds = SecondsSince(t0);
  r.rss_after = RssNow();
  r.rss_added = r.rss_after - rss_before;
  HOLDFAST_RETURN_IF_ERROR((*store)->Shutdown());
  return ToBytes(r);
}

std::string ReferencePath(const std::string& root, int queue) {
  return fmt::format("{}/{}/{}/{}", root, TopicOf(queue), QueueIdOf(queue),
                     store::MappedFile::FileName(0));
}

// The reference tree: the same directories, each queue file exactly its entries' bytes.
Status WriteReference(const std::string& root, int queues, int entries) {
  const std::string bytes(static_cast<size_t>(entries * store::kConsumeQueueUnitSize), 'e');
  std::error_code made;
  std::filesystem::create_directories(root, made);
  if (made) return Status::IoError("mkdir " + root + ": " + made.message());
  for (int q = 0; q < queues; ++q) {
    const std::string path = ReferencePath(root, q);
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    if (ec) return Status::IoError("mkdir for " + path + ": " + ec.message());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Status::FromErrno(errno, "open " + path);
    const ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), 0);
    const int err = errno;
    ::close(fd);
    if (n != static_cast<ssize_t>(bytes.size())) return Status::FromErrno(err, "pwrite " + path);
  }
  // One sync of the whole file system, so every block is allocated when the tree is measured.
  const int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno(errno, "open " + root);
  const int rc = ::syncfs(fd);
  const int err = errno;
  ::close(fd);
  return rc == 0 ? Status::Ok() : Status::FromErrno(err, "syncfs " + root);
}

// In a child: for every reference file, open it, read its last entry, map it and touch its last
// page; report the time and what it added to VmRSS (the files stay open and mapped until then).
Result<std::string> OpenReference(const std::string& root, int queues) {
  const int64_t rss_before = RssNow();
  const auto t0 = SteadyClock::now();
  volatile char sink = 0;
  for (int q = 0; q < queues; ++q) {
    const std::string path = ReferencePath(root, q);
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return Status::FromErrno(errno, "open " + path);
    struct stat st;
    if (::fstat(fd, &st) != 0) return Status::FromErrno(errno, "fstat " + path);
    const auto size = static_cast<size_t>(st.st_size);
    char entry[store::kConsumeQueueUnitSize];
    if (::pread(fd, entry, sizeof entry, st.st_size - static_cast<off_t>(sizeof entry)) !=
        static_cast<ssize_t>(sizeof entry)) {
      return Status::FromErrno(errno, "pread " + path);
    }
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return Status::FromErrno(errno, "mmap " + path);
    sink = sink + static_cast<char*>(p)[size - 1];
  }
  StartReport r;
  r.seconds = SecondsSince(t0);
  r.rss_after = RssNow();
  r.rss_added = r.rss_after - rss_before;
  return ToBytes(r);
}

// Restarts measured per case; each figure is the median of these.
constexpr int kRestarts = 3;

// `start` run kRestarts times, each in a fresh child; the median time and the median RSS.
Result<StartReport> MedianStart(const std::function<Result<std::string>()>& start) {
  std::vector<StartReport> runs;
  for (int i = 0; i < kRestarts; ++i) {
    auto run = FromBytes<StartReport>(RunInForkedChild(start));
    if (!run.ok()) return run.status();
    runs.push_back(*run);
  }
  auto median = [&runs](auto field) {
    std::vector<std::remove_cvref_t<decltype(StartReport{}.*field)>> v;
    for (const StartReport& r : runs) v.push_back(r.*field);
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  StartReport r;
  r.seconds = median(&StartReport::seconds);
  r.rss_added = median(&StartReport::rss_added);
  r.rss_after = median(&StartReport::rss_after);
  return r;
}

std::string Ratio(double value, double reference) {
  return reference > 0 ? fmt::format("{:.2f}", value / reference) : "-";
}

std::string Ms(double seconds) { return fmt::format("{:.1f} ms", seconds * 1e3); }

struct CaseResult {
  int queues = 0;
  std::string error;
  FillReport fill;
  int64_t cq_disk = 0;
  int64_t index_disk = 0;
  int64_t commit_log_disk = 0;
  int64_t reference_disk = 0;
  StartReport start;
  StartReport reference_start;
};

CaseResult RunCase(const QueuesBenchmarkOptions& o, const std::string& work, int queues,
                   std::ostream& out) {
  CaseResult c;
  c.queues = queues;
  const std::string root = fmt::format("{}/store-{}", work, queues);
  const std::string reference = fmt::format("{}/reference-{}", work, queues);
  out << std::flush;
  auto fill = FromBytes<FillReport>(RunInForkedChild([&] { return FillStore(o, root, queues); }));
  if (!fill.ok()) {
    c.error = "filling the store: " + fill.status().ToString();
    return c;
  }
  c.fill = *fill;
  auto usage = [&c](const std::string& path, int64_t* into) {
    auto bytes = DiskUsage(path);
    if (bytes.ok()) {
      *into = *bytes;
    } else if (!bytes.status().IsNotFound() && c.error.empty()) {
      c.error = bytes.status().ToString();
    }
  };
  usage(root + "/consumequeue", &c.cq_disk);
  usage(root + "/index", &c.index_disk);
  usage(root + "/commitlog", &c.commit_log_disk);
  if (Status s = WriteReference(reference, queues, o.messages_per_queue); !s.ok()) {
    c.error = "writing the reference: " + s.ToString();
    return c;
  }
  usage(reference, &c.reference_disk);

  auto start = MedianStart([&] { return RestartStore(root); });
  auto reference_start = MedianStart([&] { return OpenReference(reference, queues); });
  if (!start.ok()) {
    c.error = "restarting the store: " + start.status().ToString();
  } else if (!reference_start.ok()) {
    c.error = "opening the reference: " + reference_start.status().ToString();
  } else {
    c.start = *start;
    c.reference_start = *reference_start;
  }
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
  std::filesystem::remove_all(reference, ec);
  return c;
}

}  // namespace

int RunQueuesBenchmark(const QueuesBenchmarkOptions& o, std::ostream& out) {
  out << "holdfast bench queues: " << o.command_line << "\n";
  const std::string work = fmt::format("{}/holdfast-queues-bench-{}", o.dir, ::getpid());
  std::error_code ec;
  std::filesystem::create_directories(work, ec);
  if (ec) {
    out << "cannot create " << work << ": " << ec.message() << "\n";
    return 1;
  }
  int status = 0;
  if (!o.skip_append) {
    AppendCostOptions append;
    append.dir = work;
    append.rounds = o.append_rounds;
    PrintAppendCosts(append, out);
  }

  // An empty store's restart first: what every restart costs whatever the queues, so the rows can
  // show what the queues add.
  const CaseResult empty = RunCase(o, work, 0, out);
  if (!empty.error.empty()) {
    out << "  the empty store: " << empty.error << "\n";
    status = 1;
  }
  std::vector<CaseResult> results;
  for (int queues : o.queues) {
    results.push_back(RunCase(o, work, queues, out));
    if (!results.back().error.empty()) {
      out << "  " << queues << " queues: " << results.back().error << "\n";
      status = 1;
    }
  }
  std::filesystem::remove_all(work, ec);

  Section(out, fmt::format("Disk after {} message(s) of {} bytes per queue ({} queues a topic), "
                           "default settings, SYNC_FLUSH",
                           o.messages_per_queue, o.body_size, kQueuesPerTopic));
  TextTable disk({"queues", "consume queues", "reference", "ratio", "per queue", "index",
                  "commit log", "fill time"});
  for (const CaseResult& c : results) {
    if (!c.error.empty()) continue;
    disk.AddRow({Thousands(c.queues), Bytes(c.cq_disk), Bytes(c.reference_disk),
                 Ratio(static_cast<double>(c.cq_disk), static_cast<double>(c.reference_disk)),
                 Bytes(c.cq_disk / c.queues), Bytes(c.index_disk), Bytes(c.commit_log_disk),
                 Ms(c.fill.seconds)});
  }
  disk.Print(out);
  out << "  reference: the same directories, each queue file holding exactly its entries\n";

  Section(out, fmt::format("Restart after a clean shutdown (MessageStore::Open in a fresh process, "
                           "warm cache; median of {})",
                           kRestarts));
  if (empty.error.empty()) {
    out << fmt::format(
        "  an empty store opens in {} and adds {} of RSS; the rows show what the "
        "queues add to that (\"+ queues\")\n",
        Ms(empty.start.seconds), Bytes(empty.start.rss_added));
  }
  TextTable start({"queues", "open", "+ queues", "reference", "ratio", "RSS added", "+ queues",
                   "reference", "ratio", "per queue"});
  for (const CaseResult& c : results) {
    if (!c.error.empty() || !empty.error.empty()) continue;
    const double open = c.start.seconds - empty.start.seconds;
    const int64_t rss = c.start.rss_added - empty.start.rss_added;
    start.AddRow({Thousands(c.queues), Ms(c.start.seconds), Ms(open), Ms(c.reference_start.seconds),
                  Ratio(open, c.reference_start.seconds), Bytes(c.start.rss_added), Bytes(rss),
                  Bytes(c.reference_start.rss_added),
                  Ratio(static_cast<double>(rss), static_cast<double>(c.reference_start.rss_added)),
                  Bytes(rss / c.queues)});
  }
  start.Print(out);
  out << "  reference: open every reference file, read its last entry, map it and touch its "
         "last page\n";
  return status;
}

}  // namespace holdfast::tools
