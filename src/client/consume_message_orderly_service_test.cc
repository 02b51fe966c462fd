#include "client/consume_message_orderly_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <stdexcept>
#include <utility>
#include <vector>

#include "client/consume_service_test_fixture.h"
#include "tests/support/wait_until.h"

namespace holdfast::client {
namespace {

using namespace std::chrono_literals;
using holdfast::testing::WaitUntil;

class ConsumeMessageOrderlyServiceTest : public ConsumeServiceTestFixture {
 protected:
  void TearDown() override {
    if (service_) service_->Shutdown();
    scheduler_.Shutdown();
  }

  ConsumeMessageOrderlyService& Make(MessageListenerOrderly listener, int batch = 1,
                                     int max_reconsume_times = 16) {
    ConsumeServiceContext c = Context();
    c.consume_thread_max = 4;
    c.consume_message_batch_max_size = batch;
    c.max_reconsume_times = max_reconsume_times;
    c.suspend_current_queue_time = 10ms;
    c.rebalance = &rebalance_;
    service_ = std::make_unique<ConsumeMessageOrderlyService>(c, std::move(listener));
    return *service_;
  }

  void Deliver(std::vector<MQMessageExt> msgs) {
    ConsumeServiceTestFixture::Deliver(*service_, std::move(msgs));
  }

  // A listener that records (offset, reconsume_times) of each call and suspends offset 1 always.
  MessageListenerOrderly FailOffsetOne() {
    return [this](const std::vector<MQMessageExt>& msgs) {
      std::lock_guard lock(mu_);
      calls_.emplace_back(msgs[0].queue_offset, msgs[0].reconsume_times);
      return msgs[0].queue_offset == 1 ? ConsumeOrderlyStatus::kSuspendCurrentQueueAMoment
                                       : ConsumeOrderlyStatus::kSuccess;
    };
  }
  std::vector<std::pair<int64_t, int32_t>> Calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  void HoldTheLock() {
    pq_->set_locked(true);
    pq_->set_last_lock_time(std::chrono::steady_clock::now());
  }

  std::unique_ptr<ConsumeMessageOrderlyService> service_;
  std::mutex mu_;
  std::vector<std::pair<int64_t, int32_t>> calls_;  // guarded by mu_
};

TEST_F(ConsumeMessageOrderlyServiceTest, AfterMaxRetriesTheMessageGoesToTheDlqAndTheQueueMovesOn) {
  HoldTheLock();
  broker_.accept_send_back = true;
  Make(FailOffsetOne(), 1, /*max_reconsume_times=*/2);
  Deliver(Msgs(0, 3));
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 3; }));
  // Retried locally with reconsume_times 1 and 2; at 2 (the max) it went to the DLQ.
  std::vector<std::pair<int64_t, int32_t>> expected = {{0, 0}, {1, 0}, {1, 1}, {1, 2}, {2, 0}};
  EXPECT_EQ(Calls(), expected);
  std::lock_guard lock(broker_.mu);
  // Delay level -1: straight to the DLQ; nothing was sent back before the max.
  EXPECT_EQ(broker_.sent_back, (std::vector<std::pair<int64_t, int>>{{1, -1}}));
  EXPECT_EQ(broker_.retry_topic_attempts, 0);
}

TEST_F(ConsumeMessageOrderlyServiceTest, DlqFallbackIsARetryTopicMessageWithReconsumeTimesKept) {
  HoldTheLock();
  broker_.accept_retry_topic = true;
  Make(FailOffsetOne(), 1, /*max_reconsume_times=*/1);
  auto msgs = Msgs(0, 3);
  msgs[1].msg_id = "U1";
  msgs[1].properties["UNIQ_KEY"] = "U1";
  Deliver(msgs);
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 3; }));
  std::vector<std::pair<int64_t, int32_t>> expected = {{0, 0}, {1, 0}, {1, 1}, {2, 0}};
  EXPECT_EQ(Calls(), expected);
  std::lock_guard lock(broker_.mu);
  EXPECT_EQ(broker_.calls, (std::vector<std::string>{"send-back 1", "retry-topic U1"}));
  ASSERT_EQ(broker_.sent_to_retry_topic.size(), 1u);
  const PropertyMap& p = broker_.sent_to_retry_topic[0].properties;
  // reconsumeTimes (1) >= max (1): the broker's send path routes it to the DLQ (4.9.7).
  EXPECT_EQ(p.at("RECONSUME_TIME"), "1");
  EXPECT_EQ(p.at("MAX_RECONSUME_TIMES"), "1");
  EXPECT_EQ(p.at("RETRY_TOPIC"), "T");
  EXPECT_EQ(p.at("ORIGIN_MESSAGE_ID"), "U1");
}

TEST_F(ConsumeMessageOrderlyServiceTest, WhenNoBrokerTakesItForTheDlqItIsRetriedAndHoldsTheQueue) {
  HoldTheLock();
  Make(FailOffsetOne(), 1, /*max_reconsume_times=*/1);
  Deliver(Msgs(0, 3));
  ASSERT_TRUE(WaitUntil([&] {
    std::lock_guard lock(broker_.mu);
    return broker_.retry_topic_attempts >= 3;
  }));
  EXPECT_EQ(Committed(), 1) << "never past the message no broker took";
  for (const auto& [offset, times] : Calls()) EXPECT_NE(offset, 2);
  std::lock_guard lock(broker_.mu);
  EXPECT_GE(broker_.send_back_attempts, 3);
}

TEST_F(ConsumeMessageOrderlyServiceTest, DefaultMaxRetriesNeverSendsToTheDlq) {
  HoldTheLock();
  broker_.accept_send_back = true;
  broker_.accept_retry_topic = true;
  Make(FailOffsetOne(), 1, /*max_reconsume_times=*/-1);
  Deliver(Msgs(0, 3));
  // Well past the concurrent default of 16.
  ASSERT_TRUE(WaitUntil([&] { return Calls().size() >= 22; }));
  EXPECT_EQ(Committed(), 1);
  std::vector<std::pair<int64_t, int32_t>> calls = Calls();
  for (size_t i = 1; i < 21; ++i) {
    EXPECT_EQ(calls[i], (std::pair<int64_t, int32_t>{1, static_cast<int32_t>(i - 1)}));
  }
  std::lock_guard lock(broker_.mu);
  EXPECT_TRUE(broker_.calls.empty());
}

TEST_F(ConsumeMessageOrderlyServiceTest, OneQueueIsConsumedInOrderOneBatchAtATime) {
  pq_->set_locked(true);
  pq_->set_last_lock_time(std::chrono::steady_clock::now());
  std::atomic<int> running{0};
  std::atomic<bool> overlapped{false};
  std::mutex mu;
  std::vector<int64_t> order;
  Make(
      [&](const std::vector<MQMessageExt>& msgs) {
        if (running++ != 0) overlapped = true;
        {
          std::lock_guard lock(mu);
          for (const auto& m : msgs) order.push_back(m.queue_offset);
        }
        --running;
        return ConsumeOrderlyStatus::kSuccess;
      },
      3);
  for (int64_t from = 0; from < 30; from += 5) Deliver(Msgs(from, from + 5));
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 30; }));
  EXPECT_FALSE(overlapped.load());
  std::lock_guard lock(mu);
  ASSERT_EQ(order.size(), 30u);
  for (int64_t i = 0; i < 30; ++i) EXPECT_EQ(order[i], i);
}

TEST_F(ConsumeMessageOrderlyServiceTest, SuspendRetriesTheSameMessagesAndHoldsTheQueue) {
  pq_->set_locked(true);
  pq_->set_last_lock_time(std::chrono::steady_clock::now());
  std::mutex mu;
  std::vector<std::pair<int64_t, int32_t>> calls;
  Make([&](const std::vector<MQMessageExt>& msgs) {
    std::lock_guard lock(mu);
    calls.emplace_back(msgs[0].queue_offset, msgs[0].reconsume_times);
    if (msgs[0].queue_offset == 1 && msgs[0].reconsume_times < 2) {
      return ConsumeOrderlyStatus::kSuspendCurrentQueueAMoment;
    }
    return ConsumeOrderlyStatus::kSuccess;
  });
  Deliver(Msgs(0, 3));
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 3; }));
  std::lock_guard lock(mu);
  std::vector<std::pair<int64_t, int32_t>> expected = {{0, 0}, {1, 0}, {1, 1}, {1, 2}, {2, 0}};
  EXPECT_EQ(calls, expected);
}

TEST_F(ConsumeMessageOrderlyServiceTest, ListenerThatThrowsSuspendsAndRetriesTheSameMessage) {
  pq_->set_locked(true);
  pq_->set_last_lock_time(std::chrono::steady_clock::now());
  std::mutex mu;
  std::vector<std::pair<int64_t, int32_t>> calls;
  Make([&](const std::vector<MQMessageExt>& msgs) {
    std::lock_guard lock(mu);
    calls.emplace_back(msgs[0].queue_offset, msgs[0].reconsume_times);
    if (msgs[0].queue_offset == 1 && msgs[0].reconsume_times == 0) throw std::runtime_error("boom");
    if (msgs[0].queue_offset == 2 && msgs[0].reconsume_times == 0) throw 7;  // not std::exception
    return ConsumeOrderlyStatus::kSuccess;
  });
  Deliver(Msgs(0, 3));
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 3; }));
  std::lock_guard lock(mu);
  std::vector<std::pair<int64_t, int32_t>> expected = {{0, 0}, {1, 0}, {1, 1}, {2, 0}, {2, 1}};
  EXPECT_EQ(calls, expected);
}

TEST_F(ConsumeMessageOrderlyServiceTest, UnlockedQueueIsLockedOnTheBrokerBeforeConsuming) {
  // Not locked yet: the service asks the broker, which grants it.
  std::atomic<int> calls{0};
  Make([&](const std::vector<MQMessageExt>&) {
    ++calls;
    return ConsumeOrderlyStatus::kSuccess;
  });
  HoldQueueThroughRebalance(true);
  ASSERT_TRUE(pq_);
  pq_->set_locked(false);
  Deliver(Msgs(0, 2));
  ASSERT_TRUE(WaitUntil([&] { return Committed() == 2; }));
  EXPECT_EQ(calls.load(), 2);
  EXPECT_TRUE(pq_->locked());
}

TEST_F(ConsumeMessageOrderlyServiceTest, QueueLockedByAnotherClientIsNotConsumed) {
  std::atomic<int> calls{0};
  Make([&](const std::vector<MQMessageExt>&) {
    ++calls;
    return ConsumeOrderlyStatus::kSuccess;
  });
  {
    std::lock_guard lock(broker_.mu);
    broker_.locked_by_other = {kMq};
  }
  Deliver(Msgs(0, 2));
  // The lock attempt happens on a consume thread after 100 ms; wait until it was refused.
  ASSERT_TRUE(WaitUntil([&] {
    std::lock_guard lock(broker_.mu);
    return broker_.lock_requests >= 1;
  }));
  EXPECT_FALSE(pq_->locked());
  EXPECT_EQ(pq_->MsgCount(), 2);
  EXPECT_EQ(calls.load(), 0);
  EXPECT_EQ(Committed(), -1);
}

}  // namespace
}  // namespace holdfast::client
