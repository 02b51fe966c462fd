// holdfast::PullConsumer (lite pull) end to end against a real name server and broker in this
// process (consumer_test_cluster.h).
#include "holdfast/pull_consumer.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <vector>

#include "client/consumer_test_cluster.h"
#include "tests/support/fault_file_system.h"
#include "tests/support/wait_until.h"

namespace holdfast {
namespace {

using namespace std::chrono_literals;
using holdfast::testing::WaitUntil;

constexpr auto kWait = 20s;

class PullConsumerTest : public ::testing::Test {
 protected:
  PullConsumerTest() = default;
  // broker-a's store in `fs` (which must outlive the fixture) with `flush`.
  PullConsumerTest(store::FileSystem* fs, store::FlushDiskType flush) : cluster_(fs, flush) {}

  PullConsumerOptions Options(const std::string& group, const std::string& instance) {
    PullConsumerOptions o;
    o.group = group;
    o.client = cluster_.ClientConfigFor(instance);
    o.consume_from_where = ConsumeFromWhere::kConsumeFromFirstOffset;
    o.auto_commit = false;
    return o;
  }

  // Polls until `n` messages arrived (or the deadline), by queue in arrival order. A Poll error
  // fails the test.
  std::map<int32_t, std::vector<MQMessageExt>> PollN(PullConsumer& c, size_t n) {
    std::map<int32_t, std::vector<MQMessageExt>> by_queue;
    size_t total = 0;
    WaitUntil(
        [&] {
          auto got = c.Poll(100ms);
          EXPECT_TRUE(got.ok()) << got.status().ToString();
          if (!got.ok()) return true;
          for (auto& m : *got) {
            by_queue[m.queue_id].push_back(std::move(m));
            ++total;
          }
          return total >= n;
        },
        kWait);
    return by_queue;
  }

  // Messages of one Poll; an error fails the test and reads as none.
  static std::vector<MQMessageExt> PollOk(PullConsumer& c, std::chrono::milliseconds timeout) {
    auto got = c.Poll(timeout);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? std::move(got).value() : std::vector<MQMessageExt>();
  }

  client::ConsumerTestCluster cluster_;
};

TEST_F(PullConsumerTest, MisuseIsRejectedByName) {
  PullConsumer none(Options("GP0", "p0"));
  Status s = none.Start();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("Subscribe or Assign"), std::string::npos);

  PullConsumer mixed(Options("GP0", "p1"));
  ASSERT_TRUE(mixed.Assign({MessageQueue{"T", "broker-a", 0}}).ok());
  s = mixed.Subscribe("T", "*");
  EXPECT_NE(s.message().find("Assign"), std::string::npos);

  PullConsumer idle(Options("GP0", "p2"));
  EXPECT_FALSE(idle.CommitSync().ok());
  auto polled = idle.Poll(1ms);
  ASSERT_FALSE(polled.ok()) << "a consumer that never started cannot poll";
  EXPECT_EQ(polled.status().code(), Status::Code::kUnavailable) << polled.status().ToString();
}

TEST_F(PullConsumerTest, AssignedQueuesPollInQueueOrderAndCommitSyncReachesTheBroker) {
  cluster_.mini().CreateTopic("TopicPA", 2);
  for (int i = 0; i < 20; ++i) cluster_.Send("TopicPA", i % 2, "pa-" + std::to_string(i));
  PullConsumer consumer(Options("GPA", "pa"));
  std::vector<MessageQueue> queues = {{"TopicPA", "broker-a", 0}, {"TopicPA", "broker-a", 1}};
  ASSERT_TRUE(consumer.Assign(queues).ok());
  ASSERT_TRUE(consumer.Start().ok());
  auto fetched = consumer.FetchMessageQueues("TopicPA");
  ASSERT_TRUE(fetched.ok()) << fetched.status().ToString();
  EXPECT_EQ(*fetched, queues);
  EXPECT_EQ(consumer.Assignment(), queues);

  auto by_queue = PollN(consumer, 20);
  for (int32_t q = 0; q < 2; ++q) {
    ASSERT_EQ(by_queue[q].size(), 10u) << "queue " << q;
    for (size_t k = 0; k < 10; ++k) {
      EXPECT_EQ(by_queue[q][k].queue_offset, static_cast<int64_t>(k));
      EXPECT_EQ(by_queue[q][k].body, "pa-" + std::to_string(2 * k + q));
    }
  }
  // Before CommitSync the broker has nothing, or 0 for a young queue (docs/protocol.md §4.5).
  Result<int64_t> before = consumer.Committed(queues[0]);
  EXPECT_TRUE(!before.ok() || *before == 0) << *before;
  ASSERT_TRUE(consumer.CommitSync().ok());
  EXPECT_EQ(*consumer.Committed(queues[0]), 10);
  for (int32_t q = 0; q < 2; ++q) {
    EXPECT_TRUE(WaitUntil([&] { return cluster_.BrokerOffset("GPA", "TopicPA", q) == 10; }, kWait))
        << "queue " << q;
  }
}

TEST_F(PullConsumerTest, SubscribeWithAutoCommitCommitsWhatEarlierPollsReturned) {
  cluster_.mini().CreateTopic("TopicPS", 4);
  for (int i = 0; i < 40; ++i) cluster_.Send("TopicPS", i % 4, "ps-" + std::to_string(i));
  auto o = Options("GPS", "ps");
  o.auto_commit = true;
  o.auto_commit_interval = 0ms;  // every Poll commits what the earlier ones returned
  PullConsumer consumer(o);
  ASSERT_TRUE(consumer.Subscribe("TopicPS", "*").ok());
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return consumer.Assignment().size() == 4; }, kWait));
  auto by_queue = PollN(consumer, 40);
  size_t total = 0;
  for (auto& [q, msgs] : by_queue) total += msgs.size();
  EXPECT_EQ(total, 40u);
  EXPECT_TRUE(PollOk(consumer, 10ms).empty());  // commits everything returned so far
  for (int32_t q = 0; q < 4; ++q) {
    EXPECT_TRUE(WaitUntil([&] { return cluster_.BrokerOffset("GPS", "TopicPS", q) == 10; }, kWait))
        << "queue " << q << " at " << cluster_.BrokerOffset("GPS", "TopicPS", q);
  }
}

TEST_F(PullConsumerTest, SeekRewindsOneQueueAndRejectsOffsetsOutsideIt) {
  cluster_.mini().CreateTopic("TopicSeek", 1);
  for (int i = 0; i < 6; ++i) cluster_.Send("TopicSeek", 0, "sk-" + std::to_string(i));
  MessageQueue mq{"TopicSeek", "broker-a", 0};
  PullConsumer consumer(Options("GSeek", "sk"));
  ASSERT_TRUE(consumer.Assign({mq}).ok());
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_EQ(PollN(consumer, 6)[0].size(), 6u);

  Status bad = consumer.Seek(mq, 99);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("[0, 6]"), std::string::npos) << bad.ToString();
  EXPECT_FALSE(consumer.Seek(MessageQueue{"TopicSeek", "broker-a", 7}, 0).ok());

  ASSERT_TRUE(consumer.Seek(mq, 4).ok());
  auto again = PollN(consumer, 2)[0];
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].body, "sk-4");
  EXPECT_EQ(again[1].body, "sk-5");
  ASSERT_TRUE(consumer.CommitSync().ok());
  EXPECT_EQ(*consumer.Committed(mq), 6);
}

TEST_F(PullConsumerTest, TwoSubscribersOfOneGroupSplitTheQueues) {
  cluster_.mini().CreateTopic("TopicP2", 4);
  PullConsumer c1(Options("GP2", "p2a"));
  PullConsumer c2(Options("GP2", "p2b"));
  ASSERT_TRUE(c1.Subscribe("TopicP2", "*").ok());
  ASSERT_TRUE(c2.Subscribe("TopicP2", "*").ok());
  ASSERT_TRUE(c1.Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return c1.Assignment().size() == 4; }, kWait));
  ASSERT_TRUE(c2.Start().ok());
  ASSERT_TRUE(
      WaitUntil([&] { return c1.Assignment().size() == 2 && c2.Assignment().size() == 2; }, kWait));
  for (int i = 0; i < 40; ++i) cluster_.Send("TopicP2", i % 4, "p2-" + std::to_string(i));
  std::set<std::string> bodies1;
  std::set<std::string> bodies2;
  std::set<int32_t> queues1;
  std::set<int32_t> queues2;
  ASSERT_TRUE(WaitUntil(
      [&] {
        for (auto& m : PollOk(c1, 20ms)) {
          bodies1.insert(m.body);
          queues1.insert(m.queue_id);
        }
        for (auto& m : PollOk(c2, 20ms)) {
          bodies2.insert(m.body);
          queues2.insert(m.queue_id);
        }
        return bodies1.size() + bodies2.size() >= 40;
      },
      kWait));
  EXPECT_EQ(bodies1.size(), 20u);
  EXPECT_EQ(bodies2.size(), 20u);
  for (int32_t q : queues1) EXPECT_EQ(queues2.count(q), 0u) << "queue " << q;
}

// broker-a reads its store through a fault-injecting file system; SYNC_FLUSH, so that the commit
// log is read with pread, which the file system can fail.
struct FailingDisk {
  holdfast::testing::FaultInjectionFileSystem fs_;
};
// The disk comes first, so it is built before the cluster and outlives it.
class PullConsumerOnAFailingDiskTest : protected FailingDisk, public PullConsumerTest {
 protected:
  PullConsumerOnAFailingDiskTest() : PullConsumerTest(&fs_, store::FlushDiskType::kSyncFlush) {}
};

TEST_F(PullConsumerOnAFailingDiskTest, AFailedReadIsRetriedAtTheSameOffsetAndNeverSkipped) {
  cluster_.mini().CreateTopic("TopicPE", 1);
  for (int i = 0; i < 5; ++i) cluster_.Send("TopicPE", 0, "pe-" + std::to_string(i));
  // Send waited for dispatch: from here only the consumer's pulls read the log.
  MessageQueue mq{"TopicPE", "broker-a", 0};
  PullConsumer consumer(Options("GPE", "pe"));
  ASSERT_TRUE(consumer.Assign({mq}).ok());
  // Every pull answers SYSTEM_ERROR while reads of the commit log fail.
  fs_.FailReads(Status::IoError("injected EIO on pread"), "/commitlog/");
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return fs_.injected_read_failures() >= 2; }, kWait))
      << "the consumer should have pulled, failed, and pulled again";
  auto failing = consumer.Poll(0ms);
  EXPECT_TRUE(!failing.ok() || failing->empty()) << "nothing may come past a failed read";
  ASSERT_TRUE(consumer.CommitSync().ok());
  Result<int64_t> committed = consumer.Committed(mq);
  EXPECT_TRUE(!committed.ok() || *committed == 0) << *committed;

  fs_.ClearFaults();
  // The error of a pull that failed before the faults were cleared may still be reported once;
  // after it the retried pull at offset 0 must bring every message.
  std::vector<MQMessageExt> polled;
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto got = consumer.Poll(100ms);
        if (!got.ok()) {
          EXPECT_NE(got.status().ToString().find("injected EIO"), std::string::npos)
              << got.status().ToString();
          return false;
        }
        for (auto& m : *got) polled.push_back(std::move(m));
        return polled.size() >= 5;
      },
      kWait));
  ASSERT_EQ(polled.size(), 5u);
  for (size_t k = 0; k < polled.size(); ++k) {
    EXPECT_EQ(polled[k].queue_offset, static_cast<int64_t>(k));
    EXPECT_EQ(polled[k].body, "pe-" + std::to_string(k));
  }
  ASSERT_TRUE(consumer.CommitSync().ok());
  EXPECT_EQ(*consumer.Committed(mq), 5);
}

// "Cannot read" is not "nothing to read": a queue on a broker the routes do not know gives an
// error, not an empty batch.
TEST_F(PullConsumerTest, PollReturnsTheErrorOfAQueueThatCannotBePulled) {
  cluster_.mini().CreateTopic("TopicPE", 1);
  PullConsumer consumer(Options("GPE", "pe"));
  ASSERT_TRUE(consumer.Assign({MessageQueue{"TopicPE", "broker-nowhere", 0}}).ok());
  ASSERT_TRUE(consumer.Start().ok());
  Status error;
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto got = consumer.Poll(50ms);
        EXPECT_TRUE(!got.ok() || got->empty()) << "no message can come from broker-nowhere";
        if (!got.ok()) error = got.status();
        return !got.ok();
      },
      kWait));
  EXPECT_NE(error.message().find("broker-nowhere"), std::string::npos) << error.ToString();
}

TEST_F(PullConsumerTest, PollReturnsAnErrorOnceTheBrokerIsGoneAndAfterShutdown) {
  cluster_.mini().CreateTopic("TopicPG", 1);
  cluster_.Send("TopicPG", 0, "pg-0");
  PullConsumer consumer(Options("GPG", "pg"));
  ASSERT_TRUE(consumer.Assign({MessageQueue{"TopicPG", "broker-a", 0}}).ok());
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_EQ(PollN(consumer, 1)[0].size(), 1u);
  auto idle = consumer.Poll(10ms);
  ASSERT_TRUE(idle.ok()) << "a reachable, drained queue is not an error: "
                         << idle.status().ToString();
  EXPECT_TRUE(idle->empty());

  cluster_.mini().StopBroker("broker-a");
  EXPECT_TRUE(WaitUntil([&] { return !consumer.Poll(50ms).ok(); }, kWait))
      << "a stopped broker must show as an error, not as an empty queue";

  consumer.Shutdown();
  auto after = consumer.Poll(1ms);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.status().code(), Status::Code::kUnavailable) << after.status().ToString();
}

}  // namespace
}  // namespace holdfast
