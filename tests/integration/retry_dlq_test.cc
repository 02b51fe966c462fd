// The consumer-side safety net end to end, on a real `holdfast standalone` process: a message whose
// listener fails is redelivered on the broker's schedule (send-back, SCHEDULE_TOPIC_XXXX, the retry
// topic), and after the group's max it is parked in the dead-letter queue, never dropped and never
// consumed more than max + 1 times; a consumer kill -9'd inside its listener has its message
// redelivered to the next member.
//
// The broker runs with short delay levels so the schedule is observable in seconds: level 3 (a
// first retry) is 1 s, level 4 is 2 s, every other level 1 s.
//
// Every wait polls a condition with a deadline; nothing sleeps to synchronise.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "common/subprocess.h"
#include "holdfast/producer.h"
#include "holdfast/pull_consumer.h"
#include "holdfast/push_consumer.h"
#include "tests/integration/test_messages.h"
#include "tests/support/standalone_broker.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_until.h"

namespace holdfast {
namespace {

using namespace std::chrono_literals;
using testing::WaitUntil;

// Level n is the n-th entry: 1s 1s 1s 2s 1s ... (18 levels).
const std::vector<std::string> kShortDelays = {
    "--set", "messageDelayLevel=1s 1s 1s 2s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s", "--set",
    "mappedFileSizeCommitLog=67108864"};
constexpr int64_t kLevelMs[] = {0,    1000, 1000, 1000, 2000, 1000, 1000, 1000, 1000, 1000,
                                1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000};

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One listener call: when it started and what the message said about itself.
struct Delivery {
  int64_t at_ms = 0;
  int32_t reconsume_times = 0;
  std::string topic;
  std::string msg_id;
  std::string body;
};

class DeliveryLog {
 public:
  void Add(const MQMessageExt& m) {
    std::lock_guard<std::mutex> lock(mu_);
    log_.push_back({NowMs(), m.reconsume_times, m.topic, m.msg_id, m.body});
  }
  std::vector<Delivery> Snapshot() const {
    std::lock_guard<std::mutex> lock(mu_);
    return log_;
  }
  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return log_.size();
  }

 private:
  mutable std::mutex mu_;
  std::vector<Delivery> log_;
};

ProducerOptions ProducerFor(const std::string& namesrv) {
  ProducerOptions o;
  o.group = "retry_it_producer";
  o.client.namesrv_addr = namesrv;
  o.client.instance_name = "retry_it_producer";
  return o;
}

PushConsumerOptions ConsumerFor(const std::string& namesrv, const std::string& group,
                                const std::string& instance) {
  PushConsumerOptions o;
  o.group = group;
  o.client.namesrv_addr = namesrv;
  o.client.instance_name = instance;
  o.consume_from_where = ConsumeFromWhere::kConsumeFromFirstOffset;
  return o;
}

// Sends one message and returns its msgId.
std::string SendOne(const std::string& namesrv, const std::string& topic, const std::string& body) {
  Producer producer(ProducerFor(namesrv));
  EXPECT_TRUE(producer.Start().ok());
  MQMessage m;
  m.topic = topic;
  m.body = body;
  m.keys = {"retry-key"};
  Result<SendResult> r = producer.Send(m);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  producer.Shutdown();
  return r.ok() ? r->msg_id : std::string();
}

// The messages now in the group's dead-letter queue, read with a pull consumer of another group.
std::vector<MQMessageExt> ReadDeadLetters(const std::string& namesrv, const std::string& group) {
  PullConsumerOptions o;
  o.group = group + "_dlq_reader";
  o.client.namesrv_addr = namesrv;
  o.client.instance_name = group + "_dlq_reader";
  o.consume_from_where = ConsumeFromWhere::kConsumeFromFirstOffset;
  PullConsumer reader(o);
  std::vector<MQMessageExt> out;
  if (!reader.Subscribe("%DLQ%" + group, "*").ok() || !reader.Start().ok()) return out;
  for (int i = 0; i < 3; ++i) {
    Result<std::vector<MQMessageExt>> batch = reader.Poll(1000ms);
    if (batch.ok()) out.insert(out.end(), batch->begin(), batch->end());
  }
  reader.Shutdown();
  return out;
}

TEST(RetryDlqTest, ListenerFailingKTimesSeesTheMessageKPlusOneTimesOnTheBrokersSchedule) {
  testing::TempDir dir;
  testing::StandaloneBroker broker(HOLDFAST_PROGRAM, dir.Sub("data"), kShortDelays);
  ASSERT_TRUE(broker.Start().ok());
  const std::string msg_id = SendOne(broker.namesrv_addr(), "RetryTopic", "fails three times");
  ASSERT_FALSE(msg_id.empty());

  constexpr int kFailures = 3;
  DeliveryLog log;
  PushConsumer consumer(ConsumerFor(broker.namesrv_addr(), "retry_k_group", "k"));
  ASSERT_TRUE(consumer.Subscribe("RetryTopic", "*").ok());
  consumer.RegisterMessageListener([&](const std::vector<MQMessageExt>& msgs) {
    for (const MQMessageExt& m : msgs) log.Add(m);
    return log.size() <= kFailures ? ConsumeStatus::kReconsumeLater
                                   : ConsumeStatus::kConsumeSuccess;
  });
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return log.size() >= kFailures + 1; }, 60s)) << log.size();

  std::vector<Delivery> d = log.Snapshot();
  ASSERT_EQ(d.size(), kFailures + 1u);
  for (int i = 0; i <= kFailures; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(d[i].reconsume_times, i);
    EXPECT_EQ(d[i].msg_id, msg_id);       // the producer's id survives every retry
    EXPECT_EQ(d[i].topic, "RetryTopic");  // the listener sees the original topic
    EXPECT_EQ(d[i].body, "fails three times");
    if (i > 0) {
      // The retry was stored after the previous call started and is due a level's delay later.
      const int64_t level = 3 + (i - 1);
      EXPECT_GE(d[i].at_ms - d[i - 1].at_ms, kLevelMs[level]) << "level " << level;
    }
  }
  consumer.Shutdown();
  EXPECT_TRUE(ReadDeadLetters(broker.namesrv_addr(), "retry_k_group").empty());
}

TEST(RetryDlqTest, AlwaysFailingMessageIsParkedInTheDlqAfterSixteenRetriesAndResentByHand) {
  testing::TempDir dir;
  testing::StandaloneBroker broker(HOLDFAST_PROGRAM, dir.Sub("data"), kShortDelays);
  ASSERT_TRUE(broker.Start().ok());
  const std::string msg_id = SendOne(broker.namesrv_addr(), "DeadTopic", "always fails");
  ASSERT_FALSE(msg_id.empty());

  DeliveryLog log;
  PushConsumer consumer(ConsumerFor(broker.namesrv_addr(), "dead_group", "dead"));
  ASSERT_TRUE(consumer.Subscribe("DeadTopic", "*").ok());
  consumer.RegisterMessageListener([&](const std::vector<MQMessageExt>& msgs) {
    for (const MQMessageExt& m : msgs) log.Add(m);
    return ConsumeStatus::kReconsumeLater;
  });
  ASSERT_TRUE(consumer.Start().ok());

  std::vector<MQMessageExt> dead;
  ASSERT_TRUE(WaitUntil(
      [&] {
        if (log.size() < 17) return false;
        dead = ReadDeadLetters(broker.namesrv_addr(), "dead_group");
        return !dead.empty();
      },
      90s))
      << log.size() << " deliveries";
  // Parked after the 17th call (reconsume times 0..16); the DLQ copy was stored instead of a
  // retry, so no 18th call can follow.
  consumer.Shutdown();
  std::vector<Delivery> d = log.Snapshot();
  ASSERT_EQ(d.size(), 17u);
  for (int i = 0; i < 17; ++i) EXPECT_EQ(d[i].reconsume_times, i) << i;
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].msg_id, msg_id);
  EXPECT_EQ(dead[0].body, "always fails");
  // The send-back that parks it counts its failure too, as RocketMQ's does: 16 retries + 1.
  EXPECT_EQ(dead[0].reconsume_times, 17);
  EXPECT_EQ(dead[0].properties["RETRY_TOPIC"], "DeadTopic");

  // A person takes over: `holdfast admin dlqResend` sends it back to its topic, where the group,
  // now fixed, consumes it once, as a fresh message with the same msgId.
  DeliveryLog fixed_log;
  PushConsumer fixed(ConsumerFor(broker.namesrv_addr(), "dead_group", "fixed"));
  ASSERT_TRUE(fixed.Subscribe("DeadTopic", "*").ok());
  fixed.RegisterMessageListener([&](const std::vector<MQMessageExt>& msgs) {
    for (const MQMessageExt& m : msgs) fixed_log.Add(m);
    return ConsumeStatus::kConsumeSuccess;
  });
  ASSERT_TRUE(fixed.Start().ok());
  Result<std::unique_ptr<Subprocess>> resend =
      Subprocess::Spawn({HOLDFAST_PROGRAM, "admin", "dlqResend", "-n", broker.namesrv_addr(), "-g",
                         "dead_group", "-a"});
  ASSERT_TRUE(resend.ok()) << resend.status().ToString();
  EXPECT_EQ((*resend)->Wait(), 0);
  ASSERT_TRUE(WaitUntil([&] { return fixed_log.size() >= 1; }, 60s));
  fixed.Shutdown();
  std::vector<Delivery> again = fixed_log.Snapshot();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].msg_id, msg_id);
  EXPECT_EQ(again[0].body, "always fails");
  EXPECT_EQ(again[0].reconsume_times, 0);
}

TEST(RetryDlqTest, ConsumerKilledInsideItsListenerHasTheMessageRedeliveredToTheNextMember) {
  testing::TempDir dir;
  testing::StandaloneBroker broker(HOLDFAST_PROGRAM, dir.Sub("data"), kShortDelays);
  ASSERT_TRUE(broker.Start().ok());
  {
    Producer producer(ProducerFor(broker.namesrv_addr()));
    ASSERT_TRUE(producer.Start().ok());
    for (int64_t i = 0; i < 4; ++i) {
      MQMessage m;
      m.topic = "HangTopic";
      m.body = testing::MessageBody(i, 64);
      m.keys = {testing::MessageKey(i)};
      Result<SendResult> r = producer.Send(m);
      ASSERT_TRUE(r.ok() && r->send_status == SendStatus::kSendOk) << i;
    }
    producer.Shutdown();
  }
  // The child prints RECV for key-2 and then never returns from its listener.
  Result<std::unique_ptr<Subprocess>> proc = Subprocess::Spawn(
      {HOLDFAST_CLIENT_CHILD, "consume", "--namesrv", broker.namesrv_addr(), "--topic", "HangTopic",
       "--group", "hang_group", "--instance", "hanging", "--hang-on", testing::MessageKey(2)});
  ASSERT_TRUE(proc.ok()) << proc.status().ToString();
  bool hung = false;
  while (!hung) {
    std::optional<std::string> line = (*proc)->ReadLine(30s);
    if (!line) break;
    hung = *line == "RECV " + testing::MessageKey(2) + " ok";
  }
  ASSERT_TRUE(hung);
  (*proc)->Kill(SIGKILL);
  (*proc)->Wait();

  DeliveryLog log;
  PushConsumer next(ConsumerFor(broker.namesrv_addr(), "hang_group", "next"));
  ASSERT_TRUE(next.Subscribe("HangTopic", "*").ok());
  next.RegisterMessageListener([&](const std::vector<MQMessageExt>& msgs) {
    for (const MQMessageExt& m : msgs) log.Add(m);
    return ConsumeStatus::kConsumeSuccess;
  });
  ASSERT_TRUE(next.Start().ok());
  const std::string hung_body = testing::MessageBody(2, 64);
  EXPECT_TRUE(WaitUntil(
      [&] {
        for (const Delivery& x : log.Snapshot()) {
          if (x.body == hung_body) return true;
        }
        return false;
      },
      60s));
  next.Shutdown();
}

}  // namespace
}  // namespace holdfast
