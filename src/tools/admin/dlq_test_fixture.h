// A fixture for the dead-letter commands' tests: the admin fixture (real name server and broker)
// plus dead letters stored as send-back stores them (the broker of this branch does not move
// failed messages to the DLQ itself yet): a put into %DLQ%<group> queue 0, created first as a
// 1-queue topic, with RETRY_TOPIC, ORIGIN_MESSAGE_ID, UNIQ_KEY, HOLDFAST_FIRST_FAILURE_TIME, the
// retries' RECONSUME_TIME / MAX_RECONSUME_TIMES, WAIT=false and the reconsume times. And a push
// consumer that keeps what it receives. Test-only.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/message_id.h"
#include "holdfast/push_consumer.h"
#include "tools/admin/admin_test_fixture.h"
#include "tools/admin/dead_letter.h"

namespace holdfast::tools::admin {

// What to store as one dead letter; an empty or absent field leaves its property out.
struct TestLetter {
  std::string msg_id{};          // UNIQ_KEY
  std::string original_topic{};  // RETRY_TOPIC
  std::string body = "payload";
  int32_t reconsume_times = 16;
  std::optional<int64_t> first_failure{};  // HOLDFAST_FIRST_FAILURE_TIME
  std::string origin_message_id = "7F00000100002A9F0000000000000042";
};

// A dead letter as stored: its dlqMsgId and store time (the last failure).
struct StoredLetter {
  std::string dlq_msg_id{};
  int64_t store_timestamp = 0;
};

// What a push consumer received, in order. Thread-safe.
class Received {
 public:
  void Add(const std::vector<MQMessageExt>& msgs) {
    std::lock_guard<std::mutex> lock(mu_);
    msgs_.insert(msgs_.end(), msgs.begin(), msgs.end());
  }
  std::vector<MQMessageExt> All() const {
    std::lock_guard<std::mutex> lock(mu_);
    return msgs_;
  }
  // The received messages whose msgId (UNIQ_KEY) is `msg_id`.
  std::vector<MQMessageExt> WithId(const std::string& msg_id) const {
    std::vector<MQMessageExt> out;
    for (const MQMessageExt& m : All()) {
      if (m.msg_id == msg_id) out.push_back(m);
    }
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::vector<MQMessageExt> msgs_;
};

class DlqFixture : public AdminFixture {
 protected:
  StoredLetter PutDeadLetter(const std::string& group, const TestLetter& l) {
    const std::string topic = DlqTopic(group);
    if (!broker_->topic_config_manager().SelectTopicConfig(topic)) CreateTopic(topic, 1);
    Result<HostAddress> parsed = ParseIpv4Address(BrokerAddr());
    EXPECT_TRUE(parsed.ok());
    const HostAddress host = parsed.ok() ? *parsed : HostAddress{};
    PropertyMap props = {{"TAGS", "TagA"},
                         {"KEYS", "order-7 customer-3"},
                         {"RECONSUME_TIME", std::to_string(l.reconsume_times)},
                         {"MAX_RECONSUME_TIMES", "16"},
                         {"WAIT", "false"},
                         {"CLUSTER", "DefaultCluster"},
                         {"shop", "north"}};
    if (!l.msg_id.empty()) props["UNIQ_KEY"] = l.msg_id;
    if (!l.original_topic.empty()) props[std::string(property::kRetryTopic)] = l.original_topic;
    if (!l.origin_message_id.empty()) {
      props[std::string(property::kOriginMessageId)] = l.origin_message_id;
    }
    if (l.first_failure) {
      props[std::string(property::kHoldfastFirstFailureTime)] = std::to_string(*l.first_failure);
    }
    MessageExt msg;
    msg.topic = topic;
    msg.queue_id = 0;
    msg.flag = 5;
    msg.born_timestamp = NowMillis() - 60'000;
    msg.born_host = host;
    msg.store_host = host;
    msg.reconsume_times = l.reconsume_times;
    msg.body = l.body;
    msg.properties = EncodeProperties(props);
    const int64_t before = broker_->message_store().GetMaxOffsetInQueue(topic, 0);
    store::PutMessageResult put = broker_->message_store().PutMessage(std::move(msg));
    EXPECT_TRUE(put.ok()) << put.error;
    EXPECT_TRUE(WaitDispatched(topic, 0, before + 1));
    return {CreateOffsetMsgId(host, put.append.wrote_offset), put.append.store_timestamp};
  }

  // Waits until the name server has a route for `topic` (created with CreateTopic).
  void WaitRouted(const std::string& topic) {
    ASSERT_TRUE(holdfast::testing::WaitUntil([&] { return !RouteAddrs(topic).empty(); })) << topic;
  }

  // A push consumer of `group` on `topic` from its first offset, keeping what it gets in
  // `received`.
  std::unique_ptr<PushConsumer> StartConsumer(const std::string& group, const std::string& topic,
                                              Received* received) {
    PushConsumerOptions o;
    o.group = group;
    o.client.namesrv_addr = NamesrvAddr();
    o.client.instance_name = "dlq-" + group;
    o.client.poll_name_server_interval = std::chrono::milliseconds(200);
    o.consume_from_where = ConsumeFromWhere::kConsumeFromFirstOffset;
    o.consume_thread_min = o.consume_thread_max = 2;
    auto consumer = std::make_unique<PushConsumer>(o);
    EXPECT_TRUE(consumer->Subscribe(topic, "*").ok());
    consumer->RegisterMessageListener([received](const std::vector<MQMessageExt>& msgs) {
      received->Add(msgs);
      return ConsumeStatus::kConsumeSuccess;
    });
    Status s = consumer->Start();
    EXPECT_TRUE(s.ok()) << s.ToString();
    return consumer;
  }

  // The messages stored in all queues of `topic`.
  int64_t StoredCount(const std::string& topic) {
    auto config = broker_->topic_config_manager().SelectTopicConfig(topic);
    if (!config) return 0;
    int64_t n = 0;
    for (int32_t q = 0; q < config->write_queue_nums; ++q) {
      n += broker_->message_store().GetMaxOffsetInQueue(topic, q);
    }
    return n;
  }
};

}  // namespace holdfast::tools::admin
