#include "client/consume_message_concurrently_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <limits>
#include <map>
#include <stdexcept>

#include "client/consume_service_test_fixture.h"
#include "tests/support/wait_until.h"

namespace holdfast::client {
namespace {

using namespace std::chrono_literals;
using holdfast::testing::WaitUntil;

class ConsumeMessageConcurrentlyServiceTest : public ConsumeServiceTestFixture {
 protected:
  // Scheduled retries call into the service: stop them before the service goes.
  void TearDown() override {
    scheduler_.Shutdown();
    service_.reset();
  }

  ConsumeMessageConcurrentlyService& Make(MessageListenerConcurrently listener,
                                          MessageModel model = MessageModel::kClustering) {
    ConsumeServiceContext c = Context();
    c.message_model = model;
    c.consume_thread_max = 4;
    c.consume_again_delay = 10ms;
    service_ = std::make_unique<ConsumeMessageConcurrentlyService>(c, std::move(listener));
    return *service_;
  }

  std::unique_ptr<ConsumeMessageConcurrentlyService> service_;
};

TEST_F(ConsumeMessageConcurrentlyServiceTest, SuccessCommitsPastEveryMessage) {
  std::atomic<int> seen{0};
  auto& service = Make([&](const std::vector<MQMessageExt>& msgs) {
    seen += static_cast<int>(msgs.size());
    return ConsumeStatus::kConsumeSuccess;
  });
  Deliver(service, Msgs(0, 10));
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 10; }));
  EXPECT_EQ(seen.load(), 10);
  EXPECT_EQ(pq_->MsgCount(), 0);
  service.Shutdown();
}

TEST_F(ConsumeMessageConcurrentlyServiceTest, ABlockedListenerHoldsTheCommitOffset) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> done{0};
  auto& service = Make([&](const std::vector<MQMessageExt>& msgs) {
    if (msgs[0].queue_offset == 3) released.wait();
    ++done;
    return ConsumeStatus::kConsumeSuccess;
  });
  Deliver(service, Msgs(0, 10));
  ASSERT_TRUE(WaitUntil([&] { return done.load() == 9; }));
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 3; }));
  Deliver(service, Msgs(10, 20));
  ASSERT_TRUE(WaitUntil([&] { return done.load() == 19; }));
  EXPECT_EQ(Committed(), 3) << "offset 3 is still in its listener";
  release.set_value();
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 20; }));
  service.Shutdown();
}

TEST_F(ConsumeMessageConcurrentlyServiceTest,
       NoBrokerCopyMeansSendBackThenRetryTopicThenLocalRetryAndTheOffsetWaits) {
  // Neither CONSUMER_SEND_MSG_BACK nor the retry-topic send is taken.
  std::mutex mu;
  std::vector<int32_t> attempts;  // reconsume_times of each call for offset 1
  std::vector<int64_t> committed_during_attempts;
  auto& service = Make([&](const std::vector<MQMessageExt>& msgs) {
    if (msgs[0].queue_offset != 1) return ConsumeStatus::kConsumeSuccess;
    std::lock_guard lock(mu);
    attempts.push_back(msgs[0].reconsume_times);
    committed_during_attempts.push_back(Committed());
    return attempts.size() < 3 ? ConsumeStatus::kReconsumeLater : ConsumeStatus::kConsumeSuccess;
  });
  auto msgs = Msgs(0, 3);
  msgs[1].properties["UNIQ_KEY"] = "U1";
  Deliver(service, msgs);
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 3; }));
  std::lock_guard lock(mu);
  EXPECT_EQ(attempts, (std::vector<int32_t>{0, 1, 2}));
  for (int64_t c : committed_during_attempts) EXPECT_LE(c, 1) << "the offset passed offset 1";
  std::lock_guard broker_lock(broker_.mu);
  // Each failure tried the broker first, then the retry topic, and only then kept it.
  EXPECT_EQ(broker_.calls, (std::vector<std::string>{"send-back 1", "retry-topic U1", "send-back 1",
                                                     "retry-topic U1"}));
  service.Shutdown();
}

TEST_F(ConsumeMessageConcurrentlyServiceTest,
       RefusedSendBackFallsBackToANewRetryTopicMessageAndCommitsPast) {
  broker_.accept_retry_topic = true;
  auto& service = Make([&](const std::vector<MQMessageExt>& msgs) {
    return msgs[0].queue_offset == 1 ? ConsumeStatus::kReconsumeLater
                                     : ConsumeStatus::kConsumeSuccess;
  });
  auto msgs = Msgs(0, 3);
  MQMessageExt& m = msgs[1];
  m.msg_id = "U1";
  m.flag = 7;
  m.reconsume_times = 2;
  m.properties = {{"UNIQ_KEY", "U1"}, {"TAGS", "A"}, {"mine", "x"}, {"TRAN_MSG", "true"}};
  Deliver(service, msgs);
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 3; }))
      << "the retry topic holds a copy, so the queue moves on";
  std::lock_guard lock(broker_.mu);
  EXPECT_EQ(broker_.calls, (std::vector<std::string>{"send-back 1", "retry-topic U1"}));
  ASSERT_EQ(broker_.sent_to_retry_topic.size(), 1u);
  const RetryTopicMessage& r = broker_.sent_to_retry_topic[0];
  EXPECT_EQ(r.topic, "%RETRY%G");
  EXPECT_EQ(r.body, "m1");
  EXPECT_EQ(r.flag, 7);
  PropertyMap expected{{"UNIQ_KEY", "U1"},
                       {"TAGS", "A"},
                       {"mine", "x"},
                       {"RETRY_TOPIC", "T"},
                       {"ORIGIN_MESSAGE_ID", "U1"},
                       {"RECONSUME_TIME", "3"},
                       {"MAX_RECONSUME_TIMES", "16"},
                       {"DELAY", "5"}};
  EXPECT_EQ(r.properties, expected);
  service.Shutdown();
}

TEST_F(ConsumeMessageConcurrentlyServiceTest, ListenerThatThrowsGoesThroughTheSameChain) {
  broker_.accept_retry_topic = true;
  std::atomic<int> calls{0};
  auto& service = Make([&](const std::vector<MQMessageExt>&) -> ConsumeStatus {
    if (calls++ == 0) throw std::runtime_error("boom");
    return ConsumeStatus::kConsumeSuccess;
  });
  auto msgs = Msgs(0, 1);
  msgs[0].properties["UNIQ_KEY"] = "U0";
  Deliver(service, msgs);
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 1; }));
  EXPECT_EQ(calls.load(), 1) << "the copy in the retry topic is the broker's to redeliver";
  std::lock_guard lock(broker_.mu);
  EXPECT_EQ(broker_.calls, (std::vector<std::string>{"send-back 0", "retry-topic U0"}));
  service.Shutdown();
}

TEST_F(ConsumeMessageConcurrentlyServiceTest, FailedMessageWaitingToBeRetriedHoldsTheOffset) {
  std::promise<void> allow;
  std::shared_future<void> allowed = allow.get_future().share();
  std::atomic<int> retries{0};
  auto& service = Make([&](const std::vector<MQMessageExt>& msgs) {
    if (msgs[0].queue_offset != 0) return ConsumeStatus::kConsumeSuccess;
    if (msgs[0].reconsume_times == 0) return ConsumeStatus::kReconsumeLater;
    ++retries;
    return allowed.wait_for(0s) == std::future_status::ready ? ConsumeStatus::kConsumeSuccess
                                                             : ConsumeStatus::kReconsumeLater;
  });
  Deliver(service, Msgs(0, 5));
  ASSERT_TRUE(WaitUntil([&] { return retries.load() >= 2; }));
  EXPECT_EQ(Committed(), 0) << "never past the message that keeps failing";
  allow.set_value();
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 5; }));
  service.Shutdown();
}

TEST_F(ConsumeMessageConcurrentlyServiceTest,
       AcceptedSendBackCommitsPastAndLetsTheBrokerPickTheLevel) {
  broker_.accept_send_back = true;
  auto& service = Make([&](const std::vector<MQMessageExt>& msgs) {
    return msgs[0].queue_offset == 1 ? ConsumeStatus::kReconsumeLater
                                     : ConsumeStatus::kConsumeSuccess;
  });
  auto msgs = Msgs(0, 3);
  msgs[1].reconsume_times = 2;
  Deliver(service, msgs);
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 3; }));
  std::lock_guard lock(broker_.mu);
  ASSERT_EQ(broker_.sent_back.size(), 1u);
  // Level 0: the broker picks 3 + reconsumeTimes (docs/protocol.md §4.3).
  EXPECT_EQ(broker_.sent_back[0], (std::pair<int64_t, int>{1, 0}));
  EXPECT_EQ(broker_.retry_topic_attempts, 0) << "no fallback once the broker took it";
  service.Shutdown();
}

TEST_F(ConsumeMessageConcurrentlyServiceTest, BroadcastingConsumesFailuresAgainWithoutSendBack) {
  broker_.accept_send_back = true;
  std::atomic<int> failures{0};
  auto& service = Make(
      [&](const std::vector<MQMessageExt>& msgs) {
        if (msgs[0].queue_offset == 1 && failures++ < 2) return ConsumeStatus::kReconsumeLater;
        return ConsumeStatus::kConsumeSuccess;
      },
      MessageModel::kBroadcasting);
  Deliver(service, Msgs(0, 3));
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 3; }));
  EXPECT_EQ(failures.load(), 3);  // two failures, then the success that let the offset pass
  std::lock_guard lock(broker_.mu);
  EXPECT_TRUE(broker_.sent_back.empty());
  service.Shutdown();
}

TEST_F(ConsumeMessageConcurrentlyServiceTest, ListenerThatThrowsIsReconsumeLater) {
  std::atomic<int> calls{0};
  auto& service = Make([&](const std::vector<MQMessageExt>&) -> ConsumeStatus {
    const int call = calls++;
    if (call == 0) throw std::runtime_error("boom");
    if (call == 1) throw 7;  // not derived from std::exception
    return ConsumeStatus::kConsumeSuccess;
  });
  Deliver(service, Msgs(0, 1));
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 1; }));
  EXPECT_EQ(calls.load(), 3);
  service.Shutdown();
}

TEST_F(ConsumeMessageConcurrentlyServiceTest, DroppedQueueIsNotCommitted) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> entered{false};
  auto& service = Make([&](const std::vector<MQMessageExt>&) {
    entered = true;
    released.wait();
    return ConsumeStatus::kConsumeSuccess;
  });
  Deliver(service, Msgs(0, 1));
  ASSERT_TRUE(WaitUntil([&] { return entered.load(); }));
  pq_->set_dropped(true);
  release.set_value();
  service.Shutdown();  // waits for the listener
  EXPECT_EQ(Committed(), -1);
}

TEST_F(ConsumeMessageConcurrentlyServiceTest, BatchesRespectTheMaxSize) {
  ConsumeServiceContext c = Context();
  c.consume_thread_max = 1;
  c.consume_message_batch_max_size = 4;
  std::mutex mu;
  std::vector<size_t> sizes;
  ConsumeMessageConcurrentlyService service(c, [&](const std::vector<MQMessageExt>& msgs) {
    std::lock_guard lock(mu);
    sizes.push_back(msgs.size());
    return ConsumeStatus::kConsumeSuccess;
  });
  Deliver(service, Msgs(0, 10));
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 10; }));
  std::lock_guard lock(mu);
  EXPECT_EQ(sizes, (std::vector<size_t>{4, 4, 2}));
}

TEST_F(ConsumeMessageConcurrentlyServiceTest, RetryTopicMessagesShowTheirOriginalTopic) {
  std::mutex mu;
  std::string topic_seen;
  auto& service = Make([&](const std::vector<MQMessageExt>& msgs) {
    std::lock_guard lock(mu);
    topic_seen = msgs[0].topic;
    return ConsumeStatus::kConsumeSuccess;
  });
  auto msgs = Msgs(0, 1);
  msgs[0].topic = "%RETRY%G";
  msgs[0].properties["RETRY_TOPIC"] = "Orders";
  bool dispatch = pq_->PutMessages(msgs);
  service.SubmitConsumeRequest(msgs, pq_, MessageQueue{"%RETRY%G", "broker-a", 0}, dispatch);
  ASSERT_TRUE(WaitUntil([&] {
    std::lock_guard lock(mu);
    return !topic_seen.empty();
  }));
  std::lock_guard lock(mu);
  EXPECT_EQ(topic_seen, "Orders");
}

TEST_F(ConsumeMessageConcurrentlyServiceTest, ListenerPastConsumeTimeoutHasItsMessageSentBack) {
  broker_.accept_send_back = true;
  HoldQueueThroughRebalance(false);
  ASSERT_TRUE(pq_);

  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ConsumeServiceContext c = Context();
  c.consume_thread_max = 2;
  c.consume_timeout = 50ms;
  c.rebalance = &rebalance_;
  ConsumeMessageConcurrentlyService service(c, [&](const std::vector<MQMessageExt>& msgs) {
    if (msgs[0].queue_offset == 0) released.wait();
    return ConsumeStatus::kConsumeSuccess;
  });
  service.Start();
  Deliver(service, Msgs(0, 3));
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 3; }))
      << "the stuck message went to the retry topic, so the queue moves on";
  {
    std::lock_guard lock(broker_.mu);
    ASSERT_EQ(broker_.sent_back.size(), 1u);
    EXPECT_EQ(broker_.sent_back[0], (std::pair<int64_t, int>{0, 3}));
  }
  release.set_value();
  service.Shutdown();
  scheduler_.Shutdown();
  EXPECT_EQ(Committed(), 3);
}

TEST_F(ConsumeMessageConcurrentlyServiceTest, StuckMessageTheBrokerWillNotTakeHoldsTheOffset) {
  HoldQueueThroughRebalance(false);
  ASSERT_TRUE(pq_);

  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> done{0};
  ConsumeServiceContext c = Context();
  c.consume_thread_max = 2;
  c.consume_timeout = 20ms;
  c.rebalance = &rebalance_;
  ConsumeMessageConcurrentlyService service(c, [&](const std::vector<MQMessageExt>& msgs) {
    if (msgs[0].queue_offset == 0) released.wait();
    ++done;
    return ConsumeStatus::kConsumeSuccess;
  });
  service.Start();
  Deliver(service, Msgs(0, 3));
  ASSERT_TRUE(WaitUntil([&] { return done.load() == 2; }));
  // Two rounds of the timeout check tried the send-back and the retry topic, both refused.
  ASSERT_TRUE(WaitUntil([&] {
    std::lock_guard lock(broker_.mu);
    return broker_.send_back_attempts >= 2 && broker_.retry_topic_attempts >= 2;
  }));
  EXPECT_EQ(Committed(), 0) << "refused send-back: the offset stays at the stuck message";
  release.set_value();
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 3; }));
  service.Shutdown();
  scheduler_.Shutdown();
}

TEST_F(ConsumeMessageConcurrentlyServiceTest,
       StuckMessageGoesToTheRetryTopicWhenTheBrokerRefusesTheSendBack) {
  broker_.accept_retry_topic = true;
  HoldQueueThroughRebalance(false);
  ASSERT_TRUE(pq_);

  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ConsumeServiceContext c = Context();
  c.consume_thread_max = 2;
  c.consume_timeout = 30ms;
  c.rebalance = &rebalance_;
  ConsumeMessageConcurrentlyService service(c, [&](const std::vector<MQMessageExt>& msgs) {
    if (msgs[0].queue_offset == 0) released.wait();
    return ConsumeStatus::kConsumeSuccess;
  });
  service.Start();
  auto msgs = Msgs(0, 3);
  msgs[0].properties["UNIQ_KEY"] = "U0";
  Deliver(service, msgs);
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 3; }));
  {
    std::lock_guard lock(broker_.mu);
    EXPECT_EQ(broker_.calls, (std::vector<std::string>{"send-back 0", "retry-topic U0"}));
    ASSERT_EQ(broker_.sent_to_retry_topic.size(), 1u);
    const PropertyMap& p = broker_.sent_to_retry_topic[0].properties;
    EXPECT_EQ(p.at("RECONSUME_TIME"), "1");
    EXPECT_EQ(p.at("DELAY"), "3");
    EXPECT_EQ(p.at("RETRY_TOPIC"), "T");
  }
  release.set_value();
  service.Shutdown();
  scheduler_.Shutdown();
  EXPECT_EQ(Committed(), 3);
}

TEST(BuildRetryTopicMessageTest, KeepsAnOriginMessageIdAndTheRetryTopicOfARedeliveredMessage) {
  MQMessageExt m;
  m.topic = "Orders";  // as the listener saw it (ResetRetryTopic)
  m.msg_id = "U9";
  m.reconsume_times = 4;
  m.body = "b";
  m.properties = {{"UNIQ_KEY", "U9"}, {"ORIGIN_MESSAGE_ID", "FIRST"}, {"DELAY", "2"}};
  RetryTopicMessage r = BuildRetryTopicMessage(m, "G", 4, 16);
  EXPECT_EQ(r.topic, "%RETRY%G");
  EXPECT_EQ(r.properties.at("ORIGIN_MESSAGE_ID"), "FIRST");
  EXPECT_EQ(r.properties.at("RETRY_TOPIC"), "Orders");
  EXPECT_EQ(r.properties.at("RECONSUME_TIME"), "4");
  EXPECT_EQ(r.properties.at("DELAY"), "7");
  EXPECT_EQ(r.properties.at("UNIQ_KEY"), "U9");
}

TEST(MaxReconsumeTimesTest, MinusOneMeansSixteenConcurrentlyAndUnlimitedOrderly) {
  EXPECT_EQ(ConcurrentMaxReconsumeTimes(-1), 16);
  EXPECT_EQ(ConcurrentMaxReconsumeTimes(3), 3);
  EXPECT_EQ(OrderlyMaxReconsumeTimes(-1), std::numeric_limits<int32_t>::max());
  EXPECT_EQ(OrderlyMaxReconsumeTimes(0), 0);
}

}  // namespace
}  // namespace holdfast::client
