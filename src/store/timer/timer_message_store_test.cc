#include "store/timer/timer_message_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/clock.h"
#include "common/message_codec.h"
#include "store/timer/timer_routing.h"
#include "tests/support/store_fixture.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_until.h"

namespace holdfast::store::timer {
namespace {

using holdfast::testing::MakeMessage;
using holdfast::testing::SmallStoreConfig;
using holdfast::testing::TempDir;

// A store, a clock the test moves, and a timer store driven by hand (no threads) unless started.
class TimerMessageStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = SmallStoreConfig(dir_.path());
    config_.timer_max_delay_sec = 600;
    auto store = MessageStore::Open(config_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    OpenTimer();
  }

  void OpenTimer(TimerMessageStore::Options options = {}) {
    timer_.reset();
    options.now_ms = [this] { return now_.load(); };
    options.log_entries_per_file = 16;
    auto timer = TimerMessageStore::Open(store_.get(), config_, FileSystem::Default(), options);
    ASSERT_TRUE(timer.ok()) << timer.status().ToString();
    timer_ = std::move(timer).value();
  }

  // Puts message `seq` for TopicT queue 1, due at `due_ms`, routed as of the test clock.
  void PutTimer(int64_t seq, int64_t due_ms) {
    MessageExt m = MakeMessage("TopicT", 1, seq);
    PropertyMap props = DecodeProperties(m.properties);
    props["TIMER_DELIVER_MS"] = std::to_string(due_ms);
    m.properties = EncodeProperties(props);
    std::vector<MessageExt> msgs{m};
    ASSERT_FALSE(RouteTimerMessages(&msgs, config_, now_.load()));
    ASSERT_TRUE(store_->PutMessage(msgs.front()).ok());
  }

  // Files what is there, then delivers what is due at the test clock.
  void Tick() {
    ASSERT_TRUE(store_->WaitForDispatch(std::chrono::seconds(5)));
    ASSERT_TRUE(timer_->FileAvailable().ok());
    Status s = timer_->DeliverDue();
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_TRUE(store_->WaitForDispatch(std::chrono::seconds(5)));
  }

  // seq -> how many times delivered to TopicT/1; checks each delivered message.
  std::map<int64_t, int> Delivered() {
    std::map<int64_t, int> seen;
    for (int64_t offset = 0;;) {
      GetMessageResult r = store_->GetMessage("TopicT", 1, offset, 64);
      if (r.status != GetMessageStatus::kFound) break;
      for (const std::string& record : r.messages) {
        auto v = DecodeStoredRecord(record, true);
        EXPECT_TRUE(v.ok());
        if (!v.ok()) continue;
        EXPECT_FALSE(FindProperty(v->properties, "TIMER_DELIVER_MS"));
        EXPECT_FALSE(FindProperty(v->properties, "TIMER_OUT_MS"));
        auto uniq = FindProperty(v->properties, property::kUniqClientMessageIdKeyIndex);
        EXPECT_TRUE(uniq);
        const int64_t seq = std::stoll(std::string(uniq->substr(4)), nullptr, 16);
        EXPECT_EQ(v->body, holdfast::testing::BodyFor(seq, 100));
        EXPECT_EQ(v->born_timestamp, 1700000000000 + seq);
        ++seen[seq];
      }
      offset = r.next_begin_offset;
    }
    return seen;
  }

  TempDir dir_;
  MessageStoreConfig config_;
  // A whole second, a little after the wheel's start (Open reads the clock).
  std::atomic<int64_t> now_{(NowMillis() / 1000 + 1) * 1000};
  std::unique_ptr<MessageStore> store_;
  std::unique_ptr<TimerMessageStore> timer_;
};

TEST_F(TimerMessageStoreTest, DeliversWhenDueNeverBeforeWithTheSameIdentity) {
  const int64_t t0 = now_.load();
  PutTimer(1, t0 + 2500);
  PutTimer(2, t0 + 3000);
  Tick();
  EXPECT_TRUE(Delivered().empty());
  now_ = t0 + 2999;  // message 1 is due, but its second (rounded up: t0 + 3 s) is not
  Tick();
  EXPECT_TRUE(Delivered().empty());
  now_ = t0 + 3000;
  Tick();
  EXPECT_EQ(Delivered(), (std::map<int64_t, int>{{1, 1}, {2, 1}}));
  now_ = t0 + 10000;
  Tick();
  EXPECT_EQ(Delivered(), (std::map<int64_t, int>{{1, 1}, {2, 1}}));
  EXPECT_EQ(timer_->stats().delivered, 2);
}

TEST_F(TimerMessageStoreTest, PastDueGoesOutAtTheNextTick) {
  const int64_t t0 = now_.load();
  now_ = t0 + 5000;
  Tick();  // the wheel is now at t0 + 5 s
  PutTimer(1, t0 - 100000);
  PutTimer(2, t0 + 4000);
  Tick();
  EXPECT_TRUE(Delivered().empty()) << "the wheel's current second was already delivered";
  now_ = t0 + 6000;  // the next tick
  Tick();
  EXPECT_EQ(Delivered(), (std::map<int64_t, int>{{1, 1}, {2, 1}}));
}

TEST_F(TimerMessageStoreTest, ASecondWithNothingDueCostsNoLogRead) {
  const int64_t t0 = now_.load();
  for (int i = 0; i < 100; ++i) PutTimer(100 + i, t0 + 500'000);  // waiting, far ahead
  PutTimer(1, t0 + 7000);
  PutTimer(2, t0 + 7000);
  PutTimer(3, t0 + 7000);
  Tick();
  now_ = t0 + 300'000;  // 300 seconds pass; only second t0 + 7 s holds anything
  Tick();
  EXPECT_EQ(Delivered().size(), 3u);
  const auto stats = timer_->stats();
  EXPECT_EQ(stats.entries_read, 3) << "only the due entries are read, not the 100 waiting";
  EXPECT_EQ(stats.delivered_sec, (t0 + 300'000) / 1000 + 1);
  EXPECT_EQ(stats.filed, 103);
}

TEST_F(TimerMessageStoreTest, AFailedRePutDoesNotAdvanceAndIsDeliveredLater) {
  std::atomic<int> failures_left{2};
  TimerMessageStore::Options options;
  options.put = [this, &failures_left](MessageExt m, std::function<void(PutMessageResult)> done) {
    if (failures_left.fetch_sub(1) > 0) {
      PutMessageResult r;
      r.status = PutMessageStatus::kFlushDiskFailed;
      return done(r);
    }
    store_->PutMessageAsync(std::move(m), std::move(done));
  };
  OpenTimer(options);
  const int64_t t0 = now_.load();
  PutTimer(1, t0 + 1000);
  PutTimer(2, t0 + 1000);
  PutTimer(3, t0 + 2000);
  ASSERT_TRUE(store_->WaitForDispatch(std::chrono::seconds(5)));
  ASSERT_TRUE(timer_->FileAvailable().ok());
  now_ = t0 + 2000;
  Status s = timer_->DeliverDue();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("2 deliveries of second"), std::string::npos) << s.ToString();
  EXPECT_EQ(timer_->stats().delivered_sec, t0 / 1000 + 1) << "the failed second is not passed";
  EXPECT_TRUE(Delivered().empty());
  ASSERT_TRUE(timer_->Flush().ok());
  // Restarted: the checkpoint did not pass the second either, so both go out now.
  OpenTimer();
  Tick();
  EXPECT_EQ(Delivered(), (std::map<int64_t, int>{{1, 1}, {2, 1}, {3, 1}}));
}

TEST_F(TimerMessageStoreTest, ThousandsDueInOneSecondAllGoOut) {
  const int64_t t0 = now_.load();
  for (int i = 0; i < 2000; ++i) PutTimer(i, t0 + 1000 + i % 1000);
  Tick();
  now_ = t0 + 2000;
  Tick();
  auto seen = Delivered();
  ASSERT_EQ(seen.size(), 2000u);
  for (auto [seq, n] : seen) EXPECT_EQ(n, 1) << seq;
}

TEST_F(TimerMessageStoreTest, RestartResumesFromTheCheckpointWithoutLossOrDuplicates) {
  const int64_t t0 = now_.load();
  for (int i = 0; i < 40; ++i) PutTimer(i, t0 + 3000 + (i % 4) * 1000);
  Tick();
  ASSERT_TRUE(timer_->Flush().ok());
  const std::string cp = dir_.path() + "/timer/checkpoint";
  std::string saved;
  {
    std::ifstream in(cp, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    saved = ss.str();
  }
  // More entries are filed after that checkpoint (and to the same seconds), then the process
  // "crashes": the files keep those entries but the checkpoint on disk is the older one.
  for (int i = 40; i < 60; ++i) PutTimer(i, t0 + 3000 + (i % 4) * 1000);
  Tick();
  ASSERT_TRUE(timer_->Shutdown().ok());
  timer_.reset();
  {
    std::ofstream out(cp, std::ios::binary | std::ios::trunc);
    out << saved;
  }
  OpenTimer();
  EXPECT_FALSE(timer_->stats().rebuilt);
  EXPECT_EQ(timer_->stats().enqueue_offset, 40) << "the queue is filed again from the checkpoint";
  now_ = t0 + 10000;
  Tick();
  auto seen = Delivered();
  ASSERT_EQ(seen.size(), 60u);
  for (auto [seq, n] : seen) EXPECT_EQ(n, 1) << seq;
}

TEST_F(TimerMessageStoreTest, ALostWheelIsRebuiltFromTheLog) {
  const int64_t t0 = now_.load();
  for (int i = 0; i < 50; ++i) PutTimer(i, t0 + 2000 + (i % 5) * 1000);
  Tick();
  ASSERT_TRUE(timer_->Shutdown().ok());
  timer_.reset();
  std::filesystem::remove(dir_.path() + "/timer/wheel");
  OpenTimer();
  EXPECT_TRUE(timer_->stats().rebuilt);
  now_ = t0 + 10000;
  Tick();
  auto seen = Delivered();
  ASSERT_EQ(seen.size(), 50u);
  for (auto [seq, n] : seen) EXPECT_EQ(n, 1) << seq;
}

TEST_F(TimerMessageStoreTest, ALostCheckpointRefilesTheQueueAndLosesNothing) {
  const int64_t t0 = now_.load();
  for (int i = 0; i < 10; ++i) PutTimer(i, t0 + 2000);
  Tick();
  ASSERT_TRUE(timer_->Shutdown().ok());
  timer_.reset();
  std::filesystem::remove(dir_.path() + "/timer/checkpoint");
  OpenTimer();
  now_ = t0 + 3000;
  Tick();
  EXPECT_EQ(Delivered().size(), 10u);
}

TEST_F(TimerMessageStoreTest, DeliveredLogFilesAreRemoved) {
  const int64_t t0 = now_.load();
  for (int i = 0; i < 100; ++i) PutTimer(i, t0 + 1000 + i * 100);  // 16 entries a file
  Tick();
  EXPECT_EQ(timer_->stats().log_bytes, 100 * TimerLog::kEntrySize);
  now_ = t0 + 20000;
  Tick();
  ASSERT_TRUE(timer_->Flush().ok());
  EXPECT_EQ(Delivered().size(), 100u);
  EXPECT_LE(timer_->stats().log_bytes, 16 * TimerLog::kEntrySize) << "only the file being written";
}

TEST(TimerMessageStoreThreadsTest, DeliversOnTheRealClockWithinASecondOrTwo) {
  TempDir dir;
  MessageStoreConfig config = SmallStoreConfig(dir.path());
  auto store = MessageStore::Open(config);
  ASSERT_TRUE(store.ok());
  auto timer = TimerMessageStore::Open(store->get(), config);
  ASSERT_TRUE(timer.ok()) << timer.status().ToString();
  (*timer)->Start();
  MessageExt m = MakeMessage("TopicR", 0, 1);
  PropertyMap props = DecodeProperties(m.properties);
  props["TIMER_DELAY_MS"] = "1500";
  m.properties = EncodeProperties(props);
  const int64_t sent = NowMillis();
  ASSERT_TRUE((*store)->PutMessage(m).ok());
  ASSERT_TRUE(holdfast::testing::WaitUntil(
      [&] { return (*store)->GetMaxOffsetInQueue("TopicR", 0) == 1; }, std::chrono::seconds(10)));
  GetMessageResult r = (*store)->GetMessage("TopicR", 0, 0, 1);
  ASSERT_EQ(r.status, GetMessageStatus::kFound);
  auto v = DecodeStoredRecord(r.messages.front(), true);
  ASSERT_TRUE(v.ok());
  EXPECT_GE(v->store_timestamp, sent + 1500) << "never early";
  EXPECT_LE(v->store_timestamp, sent + 1500 + 5000)
      << "delivered about its second (generous for CI)";
  EXPECT_TRUE((*timer)->Shutdown().ok());
}

}  // namespace
}  // namespace holdfast::store::timer
