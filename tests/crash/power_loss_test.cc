// Power loss on a real file system. `holdfast standalone` keeps its store on an ext4 image
// mounted through a loop device; producers of the client library send on several threads with
// sync sends; at a random moment the file system is shut down without flushing its journal
// (EXT4_IOC_SHUTDOWN with EXT4_GOING_FLAGS_NOLOGFLUSH, as xfstests' godown does): from then on
// nothing reaches the disk and whatever the journal had not committed is gone, as after a power
// cut. The broker is then killed with SIGKILL, the image unmounted and mounted again (the journal
// is replayed), and the broker started on it: every message answered SEND_OK, FLUSH_DISK_TIMEOUT,
// FLUSH_SLAVE_TIMEOUT or SLAVE_NOT_AVAILABLE, in this round or an earlier one, must be in the
// store with its exact body.
//
// Needs root (mkfs, mount) and loop devices: skips, saying which is missing, without them.
// HOLDFAST_CRASH_ROUNDS sets the number of rounds (default 3), HOLDFAST_CRASH_SEED the seed.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/message_codec.h"
#include "common/subprocess.h"
#include "holdfast/producer.h"
#include "store/message_store.h"
#include "tests/support/standalone_broker.h"
#include "tests/support/temp_dir.h"

namespace holdfast {
namespace {

using namespace std::chrono_literals;
using testing::StandaloneBroker;

// include/uapi/linux/fs.h (FS_IOC_SHUTDOWN, the generic name of EXT4_IOC_SHUTDOWN) and its
// FS_SHUTDOWN_FLAGS_NOLOGFLUSH (ext4's EXT4_GOING_FLAGS_NOLOGFLUSH); older headers lack them.
constexpr unsigned long kFsIocShutdown = _IOR('X', 125, uint32_t);
constexpr uint32_t kShutdownNoLogFlush = 2;

constexpr char kTopic[] = "PowerLossTopic";
constexpr int kQueues = 4;  // the auto-created topic's queues (defaultTopicQueueNums)
constexpr int kSenders = 4;
constexpr size_t kBodySize = 600;
// Small segments, so that rounds roll commit-log segments over and fit a small image.
constexpr int64_t kCommitLogSegment = 8 << 20;
constexpr int64_t kConsumeQueueSegment = 20 * 20'000;
constexpr int kMaxHashSlotNum = 5'000;
constexpr int kMaxIndexNum = 20'000;

int Rounds() {
  const char* v = std::getenv("HOLDFAST_CRASH_ROUNDS");
  return v != nullptr && std::atoi(v) > 0 ? std::atoi(v) : 3;
}

// Runs a command to its end, reading and dropping its output; its exit status.
int Run(const std::vector<std::string>& argv) {
  auto proc = Subprocess::Spawn(argv);
  if (!proc.ok()) return -1;
  while ((*proc)->ReadLine(10s) || !(*proc)->eof()) {
  }
  return (*proc)->Wait();
}

// The body of message `seq` of sender `thread` in `round`: its name, then filler derived from it.
std::string Body(int round, int thread, int64_t seq) {
  std::string body = fmt::format("r{}-t{}-s{}|", round, thread, seq);
  while (body.size() < kBodySize) body += static_cast<char>('a' + (body.size() * 31 + seq) % 26);
  return body;
}

// An ext4 image mounted through a loop device for the test's lifetime; unmounted (lazily, if a
// process still holds it) by the destructor.
class LoopMount {
 public:
  explicit LoopMount(const testing::TempDir& dir)
      : image_(dir.Sub("disk.img")), mount_point_(dir.Sub("mnt")) {}
  ~LoopMount() {
    if (mounted_ && Run({"umount", mount_point_}) != 0) Run({"umount", "-l", mount_point_});
  }

  // mkfs.ext4 on a new sparse image of `bytes`; an error names the step that failed.
  Status Format(int64_t bytes) {
    std::filesystem::create_directories(mount_point_);
    std::ofstream(image_).close();
    std::error_code ec;
    std::filesystem::resize_file(image_, static_cast<uintmax_t>(bytes), ec);
    if (ec) return Status::IoError("cannot create the image " + image_ + ": " + ec.message());
    if (int rc = Run({"mkfs.ext4", "-F", "-q", image_}); rc != 0) {
      return Status::IoError(fmt::format("mkfs.ext4 {} exited {}", image_, rc));
    }
    return Status::Ok();
  }
  Status Mount() {
    if (int rc = Run({"mount", "-o", "loop", image_, mount_point_}); rc != 0) {
      return Status::IoError(fmt::format("mount -o loop {} exited {}", image_, rc));
    }
    mounted_ = true;
    return Status::Ok();
  }
  Status Unmount() {
    if (int rc = Run({"umount", mount_point_}); rc != 0) {
      return Status::IoError(fmt::format("umount {} exited {}", mount_point_, rc));
    }
    mounted_ = false;
    return Status::Ok();
  }
  // The power cut: nothing more reaches the disk, and the journal is not flushed.
  Status ShutDown() {
    const int fd = ::open(mount_point_.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return Status::FromErrno(errno, "open " + mount_point_);
    uint32_t flags = kShutdownNoLogFlush;
    const int rc = ::ioctl(fd, kFsIocShutdown, &flags);
    const int err = errno;
    ::close(fd);
    if (rc != 0) return Status::FromErrno(err, "FS_IOC_SHUTDOWN on " + mount_point_);
    return Status::Ok();
  }
  const std::string& mount_point() const { return mount_point_; }

 private:
  const std::string image_;
  const std::string mount_point_;
  bool mounted_ = false;
};

// Why this machine cannot run the test, or empty.
std::string WhyNotRunnable() {
  if (::geteuid() != 0) return "needs root, to create and mount a file system";
  if (!std::filesystem::exists("/dev/loop-control")) return "no loop devices (/dev/loop-control)";
  if (Run({"losetup", "-f"}) != 0) return "no free loop device (losetup -f failed)";
  if (Run({"mkfs.ext4", "-V"}) != 0) return "mkfs.ext4 is missing (apt-get install e2fsprogs)";
  return "";
}

// What one sender was answered.
struct Outcome {
  std::vector<std::pair<std::string, SendStatus>> stored;  // body, status: must survive
  std::map<std::string, int> errors;                       // error text -> count
};

// Sends messages of `round` on kSenders threads, each waiting for its answer before the next,
// until Stop(). Outcomes are read after Stop().
class Senders {
 public:
  Senders(Producer* producer, int round) : producer_(producer), round_(round) {
    for (int t = 0; t < kSenders; ++t) threads_.emplace_back([this, t] { Loop(t); });
  }
  ~Senders() { Stop(); }

  // Waits until n messages were answered with a send status; false on timeout.
  bool WaitStored(int64_t n, std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return stored_ >= n; });
  }
  // From now on each thread counts the answers to the sends it begins.
  void Cut() {
    std::lock_guard lock(mu_);
    cut_ = true;
  }
  // Waits until every thread was answered for n sends it began after Cut(); false on timeout.
  bool WaitAnsweredAfterCut(int64_t n, std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] {
      return std::all_of(after_cut_.begin(), after_cut_.end(), [n](int64_t c) { return c >= n; });
    });
  }
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  const std::vector<Outcome>& outcomes() const { return outcomes_; }

 private:
  void Loop(int t) {
    for (int64_t seq = 0;; ++seq) {
      bool after_cut = false;
      {
        std::lock_guard lock(mu_);
        if (stop_) return;
        after_cut = cut_;
      }
      MQMessage msg;
      msg.topic = kTopic;
      msg.body = Body(round_, t, seq);
      msg.keys = {fmt::format("r{}-t{}-s{}", round_, t, seq)};
      Result<SendResult> r = producer_->Send(msg);
      std::lock_guard lock(mu_);
      if (r.ok()) {
        outcomes_[t].stored.emplace_back(std::move(msg.body), r->send_status);
        ++stored_;
      } else {
        ++outcomes_[t].errors[r.status().ToString().substr(0, 160)];
      }
      if (after_cut) ++after_cut_[t];
      cv_.notify_all();
    }
  }

  Producer* const producer_;
  const int round_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;                                                // guarded by mu_
  bool cut_ = false;                                                 // guarded by mu_
  int64_t stored_ = 0;                                               // guarded by mu_
  std::vector<int64_t> after_cut_ = std::vector<int64_t>(kSenders);  // guarded by mu_
  std::vector<Outcome> outcomes_ = std::vector<Outcome>(kSenders);   // guarded by mu_
  std::vector<std::thread> threads_;
};

// Every body stored in the topic's queues, read through a store opened on `dir`; problems (a
// failed read, a record that does not decode) are added to *errors.
std::set<std::string> StoredBodies(const std::string& dir, std::vector<std::string>* errors) {
  store::MessageStoreConfig config;
  config.store_path_root_dir = dir;
  config.mapped_file_size_commit_log = kCommitLogSegment;
  config.mapped_file_size_consume_queue = kConsumeQueueSegment;
  config.max_hash_slot_num = kMaxHashSlotNum;
  config.max_index_num = kMaxIndexNum;
  std::set<std::string> bodies;
  auto store = store::MessageStore::Open(config);
  if (!store.ok()) {
    errors->push_back("opening the store after the broker: " + store.status().ToString());
    return bodies;
  }
  for (int32_t q = 0; q < kQueues; ++q) {
    int64_t offset = (*store)->GetMinOffsetInQueue(kTopic, q);
    const int64_t max = (*store)->GetMaxOffsetInQueue(kTopic, q);
    while (offset < max) {
      store::GetMessageResult r = (*store)->GetMessage(kTopic, q, offset, 32, 1 << 20);
      if (r.status != store::GetMessageStatus::kFound) {
        errors->push_back(fmt::format("queue {} at {} of {}: {} {}", q, offset, max,
                                      store::GetMessageStatusName(r.status), r.error.ToString()));
        break;
      }
      for (const std::string& record : r.messages) {
        auto view = DecodeStoredRecord(record, true);
        if (!view.ok()) {
          errors->push_back(fmt::format("queue {}: {}", q, view.status().ToString()));
          continue;
        }
        bodies.emplace(view->body);
      }
      offset = r.next_begin_offset;
    }
  }
  if (Status s = (*store)->Shutdown(); !s.ok()) errors->push_back(s.ToString());
  return bodies;
}

TEST(PowerLossTest, EveryMessageAnsweredWithASendStatusSurvivesAFileSystemShutdown) {
  if (std::string why = WhyNotRunnable(); !why.empty()) GTEST_SKIP() << why;
  // After the cut every send fails, and the producer warns of each attempt.
  spdlog::set_level(spdlog::level::err);
  const char* seed_env = std::getenv("HOLDFAST_CRASH_SEED");
  const uint32_t seed =
      seed_env != nullptr ? static_cast<uint32_t>(std::atoll(seed_env)) : std::random_device{}();
  std::cout << "HOLDFAST_CRASH_SEED=" << seed << "\n";
  std::mt19937 rng(seed);

  testing::TempDir dir;
  LoopMount disk(dir);
  ASSERT_TRUE(disk.Format(512 << 20).ok());
  Status mounted = disk.Mount();
  ASSERT_TRUE(mounted.ok()) << mounted.ToString() << " (losetup -f found a free loop device)";
  const std::string data = disk.mount_point() + "/data";
  StandaloneBroker broker(
      HOLDFAST_PROGRAM, data,
      {"--set", fmt::format("mappedFileSizeCommitLog={}", kCommitLogSegment), "--set",
       fmt::format("mappedFileSizeConsumeQueue={}", kConsumeQueueSegment), "--set",
       fmt::format("maxHashSlotNum={}", kMaxHashSlotNum), "--set",
       fmt::format("maxIndexNum={}", kMaxIndexNum)});

  std::vector<std::pair<std::string, SendStatus>> acknowledged;  // over all rounds
  const int rounds = Rounds();
  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round) +
                 ", HOLDFAST_CRASH_SEED=" + std::to_string(seed));
    Status started = broker.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    ProducerOptions options;
    options.group = "PowerLossProducer";
    options.client.namesrv_addr = broker.namesrv_addr();
    options.client.client_ip = "127.0.0.1";
    options.client.instance_name = "round" + std::to_string(round);
    Producer producer(options);
    ASSERT_TRUE(producer.Start().ok());

    // The cut comes after a random number of stored messages.
    const int64_t cut_after = std::uniform_int_distribution<int64_t>(50, 3000)(rng);
    Senders senders(&producer, round);
    ASSERT_TRUE(senders.WaitStored(cut_after, 60s)) << "fewer than " << cut_after << " stored";
    Status cut = disk.ShutDown();
    senders.Cut();
    ASSERT_TRUE(cut.ok()) << cut.ToString();
    // Answers to sends made after the cut: what a failed sync is answered.
    EXPECT_TRUE(senders.WaitAnsweredAfterCut(2, 60s));
    senders.Stop();
    producer.Shutdown();
    broker.Kill9();

    std::map<std::string, int> counts;
    for (const Outcome& o : senders.outcomes()) {
      for (const auto& [body, status] : o.stored) {
        ++counts[SendStatusName(status)];
        acknowledged.emplace_back(body, status);
      }
      for (const auto& [text, n] : o.errors) counts["error: " + text] += n;
    }
    std::cout << "round " << round << ": cut after " << cut_after << " stored\n";
    for (const auto& [what, n] : counts) std::cout << "  " << n << " x " << what << "\n";

    ASSERT_TRUE(disk.Unmount().ok());
    mounted = disk.Mount();
    ASSERT_TRUE(mounted.ok()) << mounted.ToString();
    started = broker.Start();
    ASSERT_TRUE(started.ok()) << "the broker must start on the recovered store: "
                              << started.ToString();
    ASSERT_EQ(broker.Stop(), 0);

    std::vector<std::string> errors;
    std::set<std::string> bodies = StoredBodies(data, &errors);
    for (const std::string& e : errors) ADD_FAILURE() << e;
    std::map<std::string, int> missing;
    for (const auto& [body, status] : acknowledged) {
      if (bodies.count(body) == 0) {
        if (++missing[SendStatusName(status)] <= 5) {
          ADD_FAILURE() << "answered " << SendStatusName(status)
                        << " but gone after the cut: " << body.substr(0, body.find('|'));
        }
      }
    }
    for (const auto& [status, n] : missing) {
      ADD_FAILURE() << n << " messages answered " << status << " are gone";
    }
    if (::testing::Test::HasFailure()) break;
  }
}

}  // namespace
}  // namespace holdfast
