// Delayed delivery end to end: a holdfast::Producer sends with a delay level to a real broker in
// this process (messageDelayLevel "1s 2s ..."), a holdfast::PushConsumer receives it no earlier
// than its delay, with the msgId, body and born time it was sent with; while it waits it is found
// by key under its topic. Nothing sleeps to synchronise: waits are conditions with deadlines.
#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "common/clock.h"
#include "holdfast/producer.h"
#include "holdfast/push_consumer.h"
#include "tests/support/mini_cluster.h"
#include "tests/support/wait_until.h"

namespace holdfast {
namespace {

using namespace std::chrono_literals;
using holdfast::testing::WaitUntil;

class DelayedDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // SmallStoreConfig keeps the default levels: level 1 waits 1 s, level 2 5 s.
    broker_ = cluster_.StartBroker("broker-a");
    cluster_.CreateTopic("TopicD", 2);
  }

  ClientConfig Client(const std::string& instance) {
    ClientConfig c;
    c.namesrv_addr = cluster_.NamesrvAddr();
    c.client_ip = "127.0.0.1";
    c.instance_name = instance;
    return c;
  }

  testing::MiniCluster cluster_;
  broker::BrokerController* broker_ = nullptr;
};

TEST_F(DelayedDeliveryTest, AConsumerGetsTheMessageAfterItsDelayWithItsIdentity) {
  std::mutex mu;
  std::map<std::string, MQMessageExt> got;  // by msgId
  std::map<std::string, int64_t> received_at;
  PushConsumerOptions co;
  co.group = "GD";
  co.client = Client("c");
  co.consume_from_where = ConsumeFromWhere::kConsumeFromFirstOffset;
  PushConsumer consumer(co);
  ASSERT_TRUE(consumer.Subscribe("TopicD", "*").ok());
  consumer.RegisterMessageListener([&](const std::vector<MQMessageExt>& msgs) {
    std::lock_guard lock(mu);
    for (const MQMessageExt& m : msgs) {
      got.emplace(m.msg_id, m);
      received_at.emplace(m.msg_id, NowMillis());
    }
    return ConsumeStatus::kConsumeSuccess;
  });
  ASSERT_TRUE(consumer.Start().ok());

  ProducerOptions po;
  po.group = "PD";
  po.client = Client("p");
  Producer producer(po);
  ASSERT_TRUE(producer.Start().ok());
  std::map<std::string, std::pair<int64_t, int32_t>> sent;  // msgId -> (sent at, level)
  for (int level : {1, 1, 2}) {
    MQMessage m;
    m.topic = "TopicD";
    m.body = "delayed at level " + std::to_string(level);
    m.keys = {"dkey-" + std::to_string(sent.size())};
    m.delay_time_level = level;
    const int64_t before = NowMillis();
    Result<SendResult> r = producer.Send(m);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->send_status, SendStatus::kSendOk);
    sent[r->msg_id] = {before, level};
  }

  // While it waits it is found by key under its topic (QUERY_MESSAGE reads the same index).
  // The index is written when the record is dispatched, just after the send's answer.
  std::vector<MessageExt> waiting;
  ASSERT_TRUE(WaitUntil([&] {
    waiting = broker_->message_store().QueryMessage("TopicD", "dkey-2", 4);
    return !waiting.empty();
  }));
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].topic, "SCHEDULE_TOPIC_XXXX");

  ASSERT_TRUE(WaitUntil(
      [&] {
        std::lock_guard lock(mu);
        return got.size() == sent.size();
      },
      30s));
  std::lock_guard lock(mu);
  for (const auto& [msg_id, when] : sent) {
    ASSERT_TRUE(got.count(msg_id)) << msg_id;
    const MQMessageExt& m = got.at(msg_id);
    const int64_t delay_ms = when.second == 1 ? 1000 : 5000;
    EXPECT_EQ(m.body, "delayed at level " + std::to_string(when.second));
    EXPECT_EQ(m.topic, "TopicD");
    EXPECT_EQ(m.reconsume_times, 0);
    // Born when it was sent, not when it was delivered.
    EXPECT_GE(m.born_timestamp, when.first - 1000);
    EXPECT_LE(m.born_timestamp, when.first + 1000);
    // Not before its delay: stored again at least the delay after the send began.
    EXPECT_GE(m.store_timestamp, when.first + delay_ms) << msg_id;
    EXPECT_GE(received_at.at(msg_id), when.first + delay_ms) << msg_id;
    EXPECT_EQ(m.properties.count("DELAY"), 0u);
    EXPECT_EQ(m.properties.at("REAL_TOPIC"), "TopicD");
  }
  consumer.Shutdown();
  producer.Shutdown();

  // GET_ALL_DELAY_OFFSET's file exists once the service ran; its content is checked by the
  // broker's admin test.
  auto* service = broker_->schedule_message_service();
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(service->Offsets().at(1), 2);
  EXPECT_EQ(service->Offsets().at(2), 1);
}

}  // namespace
}  // namespace holdfast
