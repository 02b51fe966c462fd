// The client library against real `holdfast` processes on loopback: producer -> broker -> consumer
// group with exact bytes, consumers and brokers killed with kill -9, a name server down.
//
// Every wait polls a condition with a deadline; nothing sleeps to synchronise. Message i always has
// key "key-<i>" and the body MessageBody(i) (test_messages.h), so any receiver checks exact bytes.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "common/loopback_port.h"
#include "common/subprocess.h"
#include "holdfast/producer.h"
#include "holdfast/push_consumer.h"
#include "tests/integration/test_messages.h"
#include "tests/support/standalone_broker.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_until.h"

namespace holdfast {
namespace {

using namespace std::chrono_literals;
using testing::MessageBody;
using testing::MessageIndex;
using testing::MessageKey;
using testing::WaitUntil;

constexpr size_t kBodySize = 1024;
// Small commit-log segments: a fresh SYNC_FLUSH store pre-zeroes its segments.
const std::vector<std::string> kSmallSegments = {"--set", "mappedFileSizeCommitLog=67108864"};

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::atoll(v) : fallback;
}

MQMessage TestMessage(const std::string& topic, int64_t i) {
  MQMessage m;
  m.topic = topic;
  m.body = MessageBody(i, kBodySize);
  m.tags = "TagA";
  m.keys = {MessageKey(i)};
  return m;
}

ProducerOptions ProducerFor(const std::string& namesrv, const std::string& instance) {
  ProducerOptions o;
  o.group = "it_producer";
  o.client.namesrv_addr = namesrv;
  o.client.instance_name = instance;
  return o;
}

// What an in-process consumer group member saw: distinct indexes, duplicates, wrong bodies.
class Receipts {
 public:
  void Add(const MQMessageExt& m) {
    std::lock_guard<std::mutex> lock(mu_);
    std::optional<int64_t> i = m.keys.empty() ? std::nullopt : MessageIndex(m.keys.front());
    if (!i || m.body != MessageBody(*i, kBodySize)) {
      ++bad_;
      return;
    }
    if (!seen_.insert(*i).second) ++duplicates_;
  }
  bool HasAll(const std::set<int64_t>& wanted) const {
    std::lock_guard<std::mutex> lock(mu_);
    return std::includes(seen_.begin(), seen_.end(), wanted.begin(), wanted.end());
  }
  size_t distinct() const {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_.size();
  }
  int64_t duplicates() const {
    std::lock_guard<std::mutex> lock(mu_);
    return duplicates_;
  }
  int64_t bad() const {
    std::lock_guard<std::mutex> lock(mu_);
    return bad_;
  }
  std::vector<int64_t> Missing(const std::set<int64_t>& wanted) const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<int64_t> out;
    std::set_difference(wanted.begin(), wanted.end(), seen_.begin(), seen_.end(),
                        std::back_inserter(out));
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::set<int64_t> seen_;
  int64_t duplicates_ = 0;
  int64_t bad_ = 0;
};

std::unique_ptr<PushConsumer> StartConsumer(const std::string& namesrv, const std::string& topic,
                                            const std::string& group, const std::string& instance,
                                            Receipts* receipts) {
  PushConsumerOptions o;
  o.group = group;
  o.client.namesrv_addr = namesrv;
  o.client.instance_name = instance;
  o.consume_from_where = ConsumeFromWhere::kConsumeFromFirstOffset;
  o.consume_message_batch_max_size = 16;
  auto consumer = std::make_unique<PushConsumer>(o);
  EXPECT_TRUE(consumer->Subscribe(topic, "*").ok());
  consumer->RegisterMessageListener([receipts](const std::vector<MQMessageExt>& msgs) {
    for (const MQMessageExt& m : msgs) receipts->Add(m);
    return ConsumeStatus::kConsumeSuccess;
  });
  Status s = consumer->Start();
  EXPECT_TRUE(s.ok()) << s.ToString();
  return consumer;
}

std::set<int64_t> Range(int64_t from, int64_t to) {
  std::set<int64_t> out;
  for (int64_t i = from; i < to; ++i) out.insert(i);
  return out;
}

// Sends [from, to) with `threads` threads of sync sends; returns the indexes that got SEND_OK.
std::set<int64_t> SendRange(Producer& producer, const std::string& topic, int64_t from, int64_t to,
                            int threads) {
  std::mutex mu;
  std::set<int64_t> ok;
  std::atomic<int64_t> next{from};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int64_t i = next++; i < to; i = next++) {
        Result<SendResult> r = producer.Send(TestMessage(topic, i));
        if (r.ok() && r->send_status == SendStatus::kSendOk) {
          std::lock_guard<std::mutex> lock(mu);
          ok.insert(i);
        }
      }
    });
  }
  for (std::thread& w : workers) w.join();
  return ok;
}

TEST(ClientClusterTest, MessagesFlowFromProducerThroughBrokerToConsumerGroupWithExactBytes) {
  const int64_t count = EnvInt("HOLDFAST_IT_MESSAGES", 100'000);
  testing::TempDir dir;
  testing::StandaloneBroker broker(HOLDFAST_PROGRAM, dir.Sub("data"), kSmallSegments);
  ASSERT_TRUE(broker.Start().ok());

  Producer producer(ProducerFor(broker.namesrv_addr(), "p"));
  ASSERT_TRUE(producer.Start().ok());
  std::set<int64_t> sent = SendRange(producer, "ExactBytes", 0, count, 16);
  EXPECT_EQ(static_cast<int64_t>(sent.size()), count) << "every sync send to a healthy broker";

  Receipts receipts;
  auto a = StartConsumer(broker.namesrv_addr(), "ExactBytes", "it_exact", "ca", &receipts);
  auto b = StartConsumer(broker.namesrv_addr(), "ExactBytes", "it_exact", "cb", &receipts);
  EXPECT_TRUE(WaitUntil([&] { return receipts.HasAll(sent); }, 120s))
      << "missing " << receipts.Missing(sent).size() << " of " << sent.size();
  EXPECT_EQ(receipts.bad(), 0) << "messages whose bytes differ from what was sent";
  std::printf("exact bytes: %zu sent, %zu received, %lld duplicates\n", sent.size(),
              receipts.distinct(), static_cast<long long>(receipts.duplicates()));
  a->Shutdown();
  b->Shutdown();
  producer.Shutdown();
  EXPECT_EQ(broker.Stop(), 0);
}

// A consumer child's stdout, read line by line.
struct ConsumerChild {
  std::unique_ptr<Subprocess> proc;
  std::string client_id;
  int64_t received = 0;
  bool done = false;
};

// One line of a consumer child: RECV lines go into `seen`.
void OnChildLine(ConsumerChild& c, const std::string& line, std::map<int64_t, int>* seen,
                 int64_t* bad) {
  if (line.rfind("RECV ", 0) == 0) {
    const size_t sp = line.find(' ', 5);
    std::optional<int64_t> i = MessageIndex(line.substr(5, sp - 5));
    if (!i || line.substr(sp + 1) != "ok") ++*bad;
    if (i) ++(*seen)[*i];
    ++c.received;
  } else if (line.rfind("READY ", 0) == 0) {
    c.client_id = line.substr(6);
  } else if (line == "DONE") {
    c.done = true;
  }
}

// Reads whatever lines the children have ready.
void DrainChildren(std::vector<ConsumerChild>& children, std::map<int64_t, int>* seen,
                   int64_t* bad) {
  for (ConsumerChild& c : children) {
    if (!c.proc) continue;
    while (std::optional<std::string> line = c.proc->ReadLine(2ms)) {
      OnChildLine(c, *line, seen, bad);
    }
  }
}

TEST(ClientClusterTest, ConsumerKilledMidStreamLosesNothingItsQueuesMove) {
  const int64_t count = EnvInt("HOLDFAST_IT_KILL_MESSAGES", 20'000);
  testing::TempDir dir;
  testing::StandaloneBroker broker(HOLDFAST_PROGRAM, dir.Sub("data"), kSmallSegments);
  ASSERT_TRUE(broker.Start().ok());
  Producer producer(ProducerFor(broker.namesrv_addr(), "p"));
  ASSERT_TRUE(producer.Start().ok());
  // The first message creates the topic (4 queues), so the consumers find a route.
  ASSERT_EQ(SendRange(producer, "KillConsumer", 0, 1, 1).size(), 1u);

  std::map<int64_t, int> seen;
  int64_t bad = 0;
  std::vector<ConsumerChild> children(3);
  for (size_t k = 0; k < children.size(); ++k) {
    auto proc = Subprocess::Spawn({HOLDFAST_CLIENT_CHILD, "consume", "--namesrv",
                                   broker.namesrv_addr(), "--topic", "KillConsumer", "--group",
                                   "it_kill", "--instance", "child" + std::to_string(k)});
    ASSERT_TRUE(proc.ok()) << proc.status().ToString();
    children[k].proc = std::move(*proc);
    // Its listener may print RECV lines before READY.
    while (children[k].client_id.empty()) {
      std::optional<std::string> line = children[k].proc->ReadLine(20s);
      ASSERT_TRUE(line) << "consumer child " << k << " printed no READY line";
      OnChildLine(children[k], *line, &seen, &bad);
    }
  }

  std::set<int64_t> sent = {0};
  std::mutex sent_mu;
  std::atomic<bool> producing{true};
  std::thread production([&] {
    std::set<int64_t> ok = SendRange(producer, "KillConsumer", 1, count, 4);
    std::lock_guard<std::mutex> lock(sent_mu);
    sent.insert(ok.begin(), ok.end());
    producing = false;
  });

  // Kill child 0 once it is well into its share (or production is over).
  const int64_t kill_after = count / 20;
  ASSERT_TRUE(WaitUntil(
      [&] {
        DrainChildren(children, &seen, &bad);
        return children[0].received >= kill_after || !producing;
      },
      120s));
  children[0].proc->Kill(SIGKILL);
  children[0].proc->Wait();
  DrainChildren(children, &seen, &bad);  // what it printed before dying still counts
  children[0].proc.reset();
  const int64_t killed_received = children[0].received;
  production.join();

  // More messages after the kill: the dead member's queues must move to the living ones.
  std::set<int64_t> after = SendRange(producer, "KillConsumer", count, count + count / 4, 4);
  sent.insert(after.begin(), after.end());
  EXPECT_EQ(static_cast<int64_t>(sent.size()), count + count / 4);

  auto all_seen = [&] {
    DrainChildren(children, &seen, &bad);
    for (int64_t i : sent) {
      if (!seen.contains(i)) return false;
    }
    return true;
  };
  const bool complete = WaitUntil(all_seen, 120s);
  int64_t missing = 0, duplicates = 0;
  for (int64_t i : sent) missing += seen.contains(i) ? 0 : 1;
  for (const auto& [i, n] : seen) duplicates += n - 1;
  EXPECT_TRUE(complete) << missing << " of " << sent.size() << " messages never consumed";
  EXPECT_EQ(bad, 0);
  EXPECT_GT(killed_received, 0) << "the killed consumer had a share of the queues";
  std::printf("consumer kill -9: %zu sent, killed consumer had printed %lld, %lld duplicates\n",
              sent.size(), static_cast<long long>(killed_received),
              static_cast<long long>(duplicates));
  RecordProperty("duplicates", std::to_string(duplicates));

  for (ConsumerChild& c : children) {
    if (!c.proc) continue;
    c.proc->Kill(SIGTERM);
    EXPECT_TRUE(WaitUntil(
        [&] {
          DrainChildren(children, &seen, &bad);
          return c.done || c.proc->eof();
        },
        30s));
    EXPECT_TRUE(c.done) << c.client_id << " did not shut down cleanly";
    EXPECT_EQ(c.proc->Wait(), 0);
  }
  producer.Shutdown();
  EXPECT_EQ(broker.Stop(), 0);
}

TEST(ClientClusterTest, BrokerKilledUnderSyncFlushKeepsEverySendOkMessage) {
  testing::TempDir dir;
  // `holdfast standalone` runs SYNC_FLUSH by default.
  testing::StandaloneBroker broker(HOLDFAST_PROGRAM, dir.Sub("data"), kSmallSegments);
  ASSERT_TRUE(broker.Start().ok());
  ProducerOptions po = ProducerFor(broker.namesrv_addr(), "p");
  po.send_msg_timeout = 2s;
  Producer producer(po);
  ASSERT_TRUE(producer.Start().ok());

  std::mutex mu;
  std::set<int64_t> send_ok;
  std::atomic<int64_t> next{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&] {
      while (!stop) {
        const int64_t i = next++;
        Result<SendResult> r = producer.Send(TestMessage("KillBroker", i));
        if (r.ok() && r->send_status == SendStatus::kSendOk) {
          std::lock_guard<std::mutex> lock(mu);
          send_ok.insert(i);
        }
      }
    });
  }
  auto ok_count = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return send_ok.size();
  };
  std::mt19937 rng(std::random_device{}());
  const size_t kill_at = 500 + rng() % 2000;
  ASSERT_TRUE(WaitUntil([&] { return ok_count() >= kill_at; }, 60s));
  broker.Kill9();
  const size_t at_kill = ok_count();
  ASSERT_TRUE(broker.Start().ok()) << "restart on the same data after kill -9";
  // The producer reconnects by itself and sends succeed again.
  EXPECT_TRUE(WaitUntil([&] { return ok_count() >= at_kill + 500; }, 60s));
  stop = true;
  for (std::thread& s : senders) s.join();

  Receipts receipts;
  auto consumer =
      StartConsumer(broker.namesrv_addr(), "KillBroker", "it_after_crash", "c", &receipts);
  const bool all = WaitUntil([&] { return receipts.HasAll(send_ok); }, 120s);
  std::vector<int64_t> missing = receipts.Missing(send_ok);
  EXPECT_TRUE(all) << missing.size()
                   << " SEND_OK messages lost, first: " << (missing.empty() ? -1 : missing.front());
  EXPECT_EQ(receipts.bad(), 0);
  std::printf(
      "broker kill -9 at %zu SEND_OK; %zu SEND_OK in all, every one consumed after restart\n",
      at_kill, send_ok.size());
  consumer->Shutdown();
  producer.Shutdown();
  EXPECT_EQ(broker.Stop(), 0);
}

// A `holdfast namesrv` or `holdfast broker` child, up when its boot line is printed.
std::unique_ptr<Subprocess> SpawnUntil(const std::vector<std::string>& argv,
                                       const std::string& boot_text) {
  auto proc = Subprocess::Spawn(argv);
  EXPECT_TRUE(proc.ok()) << proc.status().ToString();
  if (!proc.ok()) return nullptr;
  while (std::optional<std::string> line = (*proc)->ReadLine(20s)) {
    if (line->find(boot_text) != std::string::npos) return std::move(*proc);
  }
  ADD_FAILURE() << argv[1] << " printed no boot line";
  return nullptr;
}

TEST(ClientClusterTest, OneOfTwoNameServersDownEverythingKeepsWorking) {
  testing::TempDir dir;
  const int ns1 = FreeLoopbackPort().value(), ns2 = FreeLoopbackPort().value();
  auto namesrv1 =
      SpawnUntil({HOLDFAST_PROGRAM, "namesrv", "--bind", "127.0.0.1", "-p", std::to_string(ns1)},
                 "boot success");
  auto namesrv2 =
      SpawnUntil({HOLDFAST_PROGRAM, "namesrv", "--bind", "127.0.0.1", "-p", std::to_string(ns2)},
                 "boot success");
  ASSERT_TRUE(namesrv1 && namesrv2);
  const std::string namesrv_list =
      "127.0.0.1:" + std::to_string(ns1) + ";127.0.0.1:" + std::to_string(ns2);
  auto broker = SpawnUntil(
      {HOLDFAST_PROGRAM, "broker", "-n", namesrv_list, "--set",
       "storePathRootDir=" + dir.Sub("broker"), "--set",
       "listenPort=" + std::to_string(FreeLoopbackPort().value()), "--set", "bindAddress=127.0.0.1",
       "--set", "brokerName=broker-a", "--set", "mappedFileSizeCommitLog=67108864"},
      "boot success");
  ASSERT_TRUE(broker);

  Producer producer(ProducerFor(namesrv_list, "p1"));
  ASSERT_TRUE(producer.Start().ok());
  EXPECT_EQ(SendRange(producer, "TwoNameServers", 0, 100, 2).size(), 100u);
  Receipts early;
  auto consumer = StartConsumer(namesrv_list, "TwoNameServers", "it_ns_early", "c1", &early);
  EXPECT_TRUE(WaitUntil([&] { return early.HasAll(Range(0, 100)); }, 60s));

  // The first name server of the list dies.
  namesrv1->Kill(SIGKILL);
  namesrv1->Wait();

  // A new producer and a new group must find routes through the second one; the running
  // consumer keeps consuming.
  Producer late_producer(ProducerFor(namesrv_list, "p2"));
  ASSERT_TRUE(late_producer.Start().ok());
  EXPECT_EQ(SendRange(late_producer, "TwoNameServers", 100, 200, 2).size(), 100u);
  EXPECT_EQ(SendRange(producer, "TwoNameServers", 200, 300, 2).size(), 100u);
  EXPECT_TRUE(WaitUntil([&] { return early.HasAll(Range(0, 300)); }, 60s));
  Receipts late;
  auto late_consumer = StartConsumer(namesrv_list, "TwoNameServers", "it_ns_late", "c2", &late);
  EXPECT_TRUE(WaitUntil([&] { return late.HasAll(Range(0, 300)); }, 60s))
      << late.Missing(Range(0, 300)).size() << " missing";
  EXPECT_EQ(early.bad() + late.bad(), 0);

  late_consumer->Shutdown();
  consumer->Shutdown();
  late_producer.Shutdown();
  producer.Shutdown();
  broker->Kill(SIGTERM);
  EXPECT_EQ(broker->Wait(), 0);
  namesrv2->Kill(SIGTERM);
  EXPECT_EQ(namesrv2->Wait(), 0);
}

}  // namespace
}  // namespace holdfast
