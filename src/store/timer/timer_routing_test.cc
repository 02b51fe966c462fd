#include "store/timer/timer_routing.h"

#include <gtest/gtest.h>

#include <future>
#include <tuple>

#include "store/message_store.h"
#include "tests/support/store_fixture.h"
#include "tests/support/temp_dir.h"

namespace holdfast::store::timer {
namespace {

using holdfast::testing::MakeMessage;

constexpr int64_t kNow = 1'800'000'000'000;

MessageExt WithProps(PropertyMap extra, int32_t queue_id = 3) {
  MessageExt m = MakeMessage("TopicT", queue_id, 7);
  PropertyMap props = DecodeProperties(m.properties);
  for (auto& [k, v] : extra) props[k] = v;
  m.properties = EncodeProperties(props);
  return m;
}

std::optional<PutMessageResult> Route(MessageExt* m, const MessageStoreConfig& config = {}) {
  std::vector<MessageExt> msgs{*m};
  auto r = RouteTimerMessages(&msgs, config, kNow);
  *m = msgs.front();
  return r;
}

std::string Prop(const MessageExt& m, std::string_view key) {
  return std::string(FindProperty(m.properties, key).value_or("<none>"));
}

TEST(TimerRoutingTest, EachTimerPropertyRoutesToTheWheelTopicWithItsDueTime) {
  const std::vector<std::tuple<std::string, std::string, int64_t>> cases = {
      {"TIMER_DELIVER_MS", std::to_string(kNow + 5000), kNow + 5000},
      {"TIMER_DELAY_SEC", "2", kNow + 2000},
      {"TIMER_DELAY_MS", "1500", kNow + 1500},
      {"__STARTDELIVERTIME", std::to_string(kNow + 60000), kNow + 60000},
      // Already past: routed all the same, delivered at the next tick.
      {"TIMER_DELIVER_MS", "1", 1}};
  for (const auto& [key, value, due] : cases) {
    MessageExt m = WithProps({{key, value}});
    ASSERT_FALSE(Route(&m)) << key;
    EXPECT_EQ(m.topic, kTimerTopic) << key;
    EXPECT_EQ(m.queue_id, 0);
    EXPECT_EQ(Prop(m, property::kRealTopic), "TopicT");
    EXPECT_EQ(Prop(m, property::kRealQueueId), "3");
    EXPECT_EQ(Prop(m, property::kTimerOutMs), std::to_string(due)) << key;
    EXPECT_EQ(Prop(m, property::kUniqClientMessageIdKeyIndex), "UNIQ0000000000000007");
  }
}

TEST(TimerRoutingTest, ADelayLevelWinsAndTheTimerPropertiesAreDropped) {
  MessageExt m = WithProps({{"DELAY", "3"}, {"TIMER_DELAY_SEC", "10"}, {"TIMER_DELIVER_MS", "x"}});
  EXPECT_FALSE(Route(&m));
  EXPECT_EQ(m.topic, "TopicT");
  EXPECT_EQ(Prop(m, "DELAY"), "3");
  EXPECT_EQ(Prop(m, "TIMER_DELAY_SEC"), "<none>");
  EXPECT_EQ(Prop(m, "TIMER_DELIVER_MS"), "<none>");
  // DELAY=0 is no delay level: the timer applies.
  MessageExt zero = WithProps({{"DELAY", "0"}, {"TIMER_DELAY_SEC", "10"}});
  EXPECT_FALSE(Route(&zero));
  EXPECT_EQ(zero.topic, kTimerTopic);
}

TEST(TimerRoutingTest, RefusalsNameThePropertyValueAndLimit) {
  auto refused = [](PropertyMap props, const MessageStoreConfig& config = {}) {
    MessageExt m = WithProps(std::move(props));
    const MessageExt before = m;
    auto r = Route(&m, config);
    EXPECT_EQ(m, before) << "a refused message is left as it was";
    EXPECT_TRUE(r.has_value());
    if (!r) return std::string();
    EXPECT_EQ(r->status, PutMessageStatus::kMessageIllegal);
    return r->error;
  };
  std::string four_days = refused({{"TIMER_DELAY_SEC", "345600"}});
  EXPECT_NE(four_days.find("TIMER_DELAY_SEC=345600"), std::string::npos) << four_days;
  EXPECT_NE(four_days.find("timerMaxDelaySec 259200"), std::string::npos) << four_days;
  EXPECT_NE(four_days.find("nothing was stored"), std::string::npos) << four_days;
  std::string far_abs = refused({{"TIMER_DELIVER_MS", std::to_string(kNow + 259201000)}});
  EXPECT_NE(far_abs.find("259201 s ahead"), std::string::npos) << far_abs;
  // Exactly the limit is accepted.
  MessageExt at_limit = WithProps({{"TIMER_DELAY_MS", "259200000"}});
  EXPECT_FALSE(Route(&at_limit));
  // Huge values do not overflow into acceptance.
  EXPECT_NE(refused({{"TIMER_DELAY_SEC", "9223372036854775807"}}).find("beyond"),
            std::string::npos);
  EXPECT_NE(refused({{"TIMER_DELAY_MS", "2s"}}).find("TIMER_DELAY_MS=2s, which is not a whole"),
            std::string::npos);
  EXPECT_NE(refused({{"__STARTDELIVERTIME", "12:00"}}).find("__STARTDELIVERTIME=12:00"),
            std::string::npos);
  EXPECT_NE(refused({{"TIMER_DELAY_SEC", "-5"}}).find("negative"), std::string::npos);
  MessageStoreConfig off;
  off.timer_wheel_enable = false;
  EXPECT_NE(refused({{"TIMER_DELAY_SEC", "5"}}, off).find("timerWheelEnable is false"),
            std::string::npos);
  MessageStoreConfig hour;
  hour.timer_max_delay_sec = 3600;
  EXPECT_NE(refused({{"TIMER_DELAY_SEC", "3601"}}, hour).find("timerMaxDelaySec 3600"),
            std::string::npos);
}

TEST(TimerRoutingTest, ABatchWithATimerIsRefusedAndPlainMessagesPass) {
  std::vector<MessageExt> batch{WithProps({}), WithProps({{"TIMER_DELAY_SEC", "5"}})};
  auto r = RouteTimerMessages(&batch, {}, kNow);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, PutMessageStatus::kMessageIllegal);
  EXPECT_NE(r->error.find("message 1 of the batch"), std::string::npos) << r->error;
  std::vector<MessageExt> plain{WithProps({}), WithProps({})};
  const auto before = plain;
  EXPECT_FALSE(RouteTimerMessages(&plain, {}, kNow));
  EXPECT_EQ(plain, before);
}

TEST(TimerRoutingTest, TheDeliverableKeepsIdentityAndDropsTimerProperties) {
  MessageExt m = WithProps({{"TIMER_DELAY_SEC", "2"}, {"WAIT", "false"}});
  m.flag = 9;
  m.sys_flag = sysflag::kMultiTags;
  m.reconsume_times = 4;
  ASSERT_FALSE(Route(&m));
  m.commit_log_offset = 4096;
  auto d = ToDeliverable(m);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->topic, "TopicT");
  EXPECT_EQ(d->queue_id, 3);
  EXPECT_EQ(d->body, m.body);
  EXPECT_EQ(d->flag, 9);
  EXPECT_EQ(d->sys_flag, sysflag::kMultiTags);
  EXPECT_EQ(d->reconsume_times, 4);
  EXPECT_EQ(d->born_timestamp, m.born_timestamp);
  EXPECT_EQ(d->born_host, m.born_host);
  EXPECT_EQ(d->store_host, m.store_host);
  EXPECT_EQ(Prop(*d, property::kUniqClientMessageIdKeyIndex), "UNIQ0000000000000007");
  EXPECT_EQ(Prop(*d, "KEYS"), "key-7");
  for (std::string_view key : kTimerPropertyKeys) EXPECT_EQ(Prop(*d, key), "<none>") << key;
  EXPECT_EQ(Prop(*d, "WAIT"), "<none>");  // the re-put waits for SYNC_FLUSH

  MessageExt broken = m;
  broken.properties = EncodeProperties({{"REAL_TOPIC", "T"}, {"REAL_QID", "q"}});
  auto bad = ToDeliverable(broken);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("commit-log offset 4096"), std::string::npos);
}

TEST(TimerRoutingTest, TheStoreRoutesAtPutTimeAndStoresNothingWhenItRefuses) {
  holdfast::testing::TempDir dir;
  auto store = MessageStore::Open(holdfast::testing::SmallStoreConfig(dir.path()));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  PutMessageResult ok = (*store)->PutMessage(WithProps({{"TIMER_DELAY_SEC", "30"}}));
  ASSERT_TRUE(ok.ok()) << ok.error;
  ASSERT_TRUE((*store)->WaitForDispatch(std::chrono::seconds(5)));
  EXPECT_EQ((*store)->GetMaxOffsetInQueue(kTimerTopic, 0), 1);
  EXPECT_EQ((*store)->GetMaxOffsetInQueue("TopicT", 3), 0);
  const int64_t end = (*store)->GetMaxPhyOffset();
  PutMessageResult far = (*store)->PutMessage(WithProps({{"TIMER_DELAY_SEC", "345600"}}));
  EXPECT_EQ(far.status, PutMessageStatus::kMessageIllegal);
  EXPECT_NE(far.error.find("TIMER_DELAY_SEC=345600"), std::string::npos) << far.error;
  std::promise<PutMessageResult> async;
  (*store)->PutMessageAsync(WithProps({{"TIMER_DELAY_MS", "x"}}),
                            [&async](PutMessageResult r) { async.set_value(std::move(r)); });
  EXPECT_EQ(async.get_future().get().status, PutMessageStatus::kMessageIllegal);
  EXPECT_EQ((*store)->GetMaxPhyOffset(), end);
}

}  // namespace
}  // namespace holdfast::store::timer
