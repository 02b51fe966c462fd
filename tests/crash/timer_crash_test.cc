// Timer messages across kill -9: the real `holdfast standalone` (SYNC_FLUSH) takes timer messages
// (TIMER_DELAY_MS 0..4 s) from producers of the client library on several threads, and is killed
// with SIGKILL after a random number of them were acknowledged, while many are still waiting in
// the timer store, several rounds on the same data. Then a last start delivers the rest, and a
// consumer reads the real topic: every acknowledged message must arrive (duplicates are allowed,
// and counted), none before its due time. HOLDFAST_CRASH_SEED replays a run.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "holdfast/producer.h"
#include "holdfast/pull_consumer.h"
#include "tests/support/standalone_broker.h"
#include "tests/support/temp_dir.h"

namespace holdfast {
namespace {

using namespace std::chrono_literals;
using testing::StandaloneBroker;

constexpr char kTopic[] = "TimerCrash";
constexpr int kSenders = 3;
constexpr int kRounds = 4;
constexpr int64_t kMaxDelayMs = 4000;

// What the senders were told: body -> earliest time it may arrive (send start + delay).
class Senders {
 public:
  Senders(Producer* producer, int round, uint32_t seed) : producer_(producer) {
    for (int t = 0; t < kSenders; ++t) {
      threads_.emplace_back([this, round, t, seed] { Loop(round, t, seed + t); });
    }
  }
  ~Senders() { Stop(); }

  bool WaitAcknowledged(int64_t n, std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return acked_.size() >= static_cast<size_t>(n); });
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
  const std::map<std::string, int64_t>& acked() const { return acked_; }

 private:
  void Loop(int round, int t, uint32_t seed) {
    std::mt19937 rng(seed);
    for (int64_t seq = 0;; ++seq) {
      {
        std::lock_guard lock(mu_);
        if (stop_) return;
      }
      MQMessage msg;
      msg.topic = kTopic;
      msg.body = fmt::format("r{}-t{}-s{}", round, t, seq);
      const int64_t delay = std::uniform_int_distribution<int64_t>(0, kMaxDelayMs)(rng);
      msg.properties["TIMER_DELAY_MS"] = std::to_string(delay);
      const int64_t start = NowMillis();
      Result<SendResult> r = producer_->Send(msg);
      std::lock_guard lock(mu_);
      if (r.ok() && r->send_status == SendStatus::kSendOk) acked_[msg.body] = start + delay;
      cv_.notify_all();
    }
  }

  Producer* const producer_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;                     // guarded by mu_
  std::map<std::string, int64_t> acked_;  // guarded by mu_
  std::vector<std::thread> threads_;
};

TEST(TimerCrashTest, EveryAcknowledgedTimerMessageIsDeliveredAfterKill9NoneEarly) {
  spdlog::set_level(spdlog::level::err);  // sends to a killed broker warn
  const char* seed_env = std::getenv("HOLDFAST_CRASH_SEED");
  const uint32_t seed =
      seed_env != nullptr ? static_cast<uint32_t>(std::atoll(seed_env)) : std::random_device{}();
  std::cout << "HOLDFAST_CRASH_SEED=" << seed << "\n";
  std::mt19937 rng(seed);

  testing::TempDir dir;
  StandaloneBroker broker(HOLDFAST_PROGRAM, dir.path() + "/data",
                          {"--set", "flushDiskType=SYNC_FLUSH"});
  std::map<std::string, int64_t> acked;  // over all rounds
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(fmt::format("round {}, HOLDFAST_CRASH_SEED={}", round, seed));
    Status started = broker.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    ProducerOptions options;
    options.group = "TimerCrashProducer";
    options.client.namesrv_addr = broker.namesrv_addr();
    options.client.client_ip = "127.0.0.1";
    options.client.instance_name = "round" + std::to_string(round);
    Producer producer(options);
    ASSERT_TRUE(producer.Start().ok());
    const int64_t kill_after = std::uniform_int_distribution<int64_t>(20, 600)(rng);
    Senders senders(&producer, round, seed + 100 * round);
    ASSERT_TRUE(senders.WaitAcknowledged(kill_after, 60s));
    broker.Kill9();
    senders.Stop();
    producer.Shutdown();
    for (const auto& [body, due] : senders.acked()) acked[body] = due;
  }

  // The last start delivers everything still waiting.
  Status started = broker.Start();
  ASSERT_TRUE(started.ok()) << started.ToString();
  PullConsumerOptions options;
  options.group = "TimerCrashCheck";
  options.client.namesrv_addr = broker.namesrv_addr();
  options.client.client_ip = "127.0.0.1";
  options.consume_from_where = ConsumeFromWhere::kConsumeFromFirstOffset;
  options.pull_batch_size = 32;
  PullConsumer consumer(options);
  ASSERT_TRUE(consumer.Subscribe(kTopic, "*").ok());
  ASSERT_TRUE(consumer.Start().ok());
  std::map<std::string, int> seen;
  int early = 0;
  size_t missing = acked.size();
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (missing > 0 && std::chrono::steady_clock::now() < deadline) {
    auto batch = consumer.Poll(1000ms);
    if (!batch.ok()) continue;
    for (const MQMessageExt& m : *batch) {
      if (++seen[m.body] == 1 && acked.contains(m.body)) --missing;
      auto due = acked.find(m.body);
      if (due != acked.end() && m.store_timestamp < due->second) {
        ++early;
        ADD_FAILURE() << m.body << " arrived at " << m.store_timestamp << ", due " << due->second;
      }
    }
  }
  consumer.Shutdown();
  EXPECT_EQ(broker.Stop(), 0);

  int duplicates = 0;
  for (const auto& [body, n] : seen) duplicates += n - 1;
  std::vector<std::string> lost;
  for (const auto& [body, due] : acked) {
    if (!seen.contains(body)) lost.push_back(body);
  }
  std::cout << fmt::format(
      "{} acknowledged timer messages over {} kill -9 rounds: {} delivered, "
      "{} duplicate deliveries, {} lost, {} early\n",
      acked.size(), kRounds, acked.size() - lost.size(), duplicates, lost.size(), early);
  EXPECT_TRUE(lost.empty()) << lost.size() << " lost, e.g. " << lost.front()
                            << " (HOLDFAST_CRASH_SEED=" << seed << ")";
}

}  // namespace
}  // namespace holdfast
