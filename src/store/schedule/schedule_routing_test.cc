#include "store/schedule/schedule_routing.h"

#include <gtest/gtest.h>

#include "tests/support/store_fixture.h"

namespace holdfast::store::schedule {
namespace {

using holdfast::testing::MakeMessage;

MessageExt WithProperties(MessageExt m, const PropertyMap& extra) {
  PropertyMap props = DecodeProperties(m.properties);
  for (const auto& [k, v] : extra) props[k] = v;
  m.properties = EncodeProperties(props);
  return m;
}

std::string Prop(const MessageExt& m, std::string_view key) {
  return std::string(FindProperty(m.properties, key).value_or("(none)"));
}

const DelayLevelTable& ThreeLevels() {
  static const DelayLevelTable table = DelayLevelTable::Parse("1s 2s 3s").value();
  return table;
}

TEST(ScheduleRoutingTest, UndelayedMessagesAreLeftAsTheyAre) {
  std::vector<MessageExt> msgs = {MakeMessage("T", 1, 1),
                                  WithProperties(MakeMessage("T", 1, 2), {{"DELAY", "0"}}),
                                  WithProperties(MakeMessage("T", 1, 3), {{"DELAY", "-1"}})};
  const std::vector<MessageExt> before = msgs;
  ASSERT_TRUE(RouteDelayedMessages(ThreeLevels(), msgs).ok());
  EXPECT_EQ(msgs, before);
}

TEST(ScheduleRoutingTest, ADelayedMessageGoesToItsLevelsQueueWithItsRealTopic) {
  std::vector<MessageExt> msgs = {
      WithProperties(MakeMessage("%RETRY%g", 5, 1), {{"DELAY", "2"}, {"TIMER_DELAY_SEC", "30"}})};
  ASSERT_TRUE(RouteDelayedMessages(ThreeLevels(), msgs).ok());
  EXPECT_EQ(msgs[0].topic, kScheduleTopic);
  EXPECT_EQ(msgs[0].queue_id, 1);
  EXPECT_EQ(Prop(msgs[0], "REAL_TOPIC"), "%RETRY%g");
  EXPECT_EQ(Prop(msgs[0], "REAL_QID"), "5");
  EXPECT_EQ(Prop(msgs[0], "DELAY"), "2");
  EXPECT_EQ(Prop(msgs[0], "TIMER_DELAY_SEC"), "(none)");  // a DELAY level wins
  EXPECT_EQ(Prop(msgs[0], "UNIQ_KEY"), Prop(MakeMessage("T", 0, 1), "UNIQ_KEY"));
}

TEST(ScheduleRoutingTest, ALevelAboveTheHighestIsLoweredToIt) {
  std::vector<MessageExt> msgs = {WithProperties(MakeMessage("T", 0, 1), {{"DELAY", "18"}})};
  ASSERT_TRUE(RouteDelayedMessages(ThreeLevels(), msgs).ok());
  EXPECT_EQ(msgs[0].queue_id, 2);
  EXPECT_EQ(Prop(msgs[0], "DELAY"), "3");
}

TEST(ScheduleRoutingTest, OnlyNotAndCommitTransactionTypesAreDelayed) {
  MessageExt prepared = WithProperties(MakeMessage("T", 0, 1), {{"DELAY", "1"}});
  prepared.sys_flag = sysflag::kTransactionPreparedType;
  MessageExt rollback = prepared;
  rollback.sys_flag = sysflag::kTransactionRollbackType;
  MessageExt commit = prepared;
  commit.sys_flag = sysflag::kTransactionCommitType;
  std::vector<MessageExt> p = {prepared}, r = {rollback}, c = {commit};
  ASSERT_TRUE(RouteDelayedMessages(ThreeLevels(), p).ok());
  ASSERT_TRUE(RouteDelayedMessages(ThreeLevels(), r).ok());
  ASSERT_TRUE(RouteDelayedMessages(ThreeLevels(), c).ok());
  EXPECT_EQ(p[0].topic, "T");
  EXPECT_EQ(r[0].topic, "T");
  EXPECT_EQ(c[0].topic, kScheduleTopic);
}

TEST(ScheduleRoutingTest, ABatchWithADelayLevelIsRefusedUnchanged) {
  std::vector<MessageExt> msgs = {MakeMessage("T", 0, 1),
                                  WithProperties(MakeMessage("T", 0, 2), {{"DELAY", "1"}})};
  const std::vector<MessageExt> before = msgs;
  Status s = RouteDelayedMessages(ThreeLevels(), msgs);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("message 2 of a batch of 2"), std::string::npos) << s.ToString();
  EXPECT_EQ(msgs, before);
}

TEST(ScheduleRoutingTest, ADelayThatIsNotANumberIsRefusedNamingIt) {
  std::vector<MessageExt> msgs = {WithProperties(MakeMessage("T", 0, 1), {{"DELAY", "soon"}})};
  Status s = RouteDelayedMessages(ThreeLevels(), msgs);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("DELAY=soon"), std::string::npos) << s.ToString();
}

TEST(ScheduleRoutingTest, TheDeliveredMessageIsTheOriginalBackInItsRealQueue) {
  MessageExt original = MakeMessage("T", 3, 7);
  original.flag = 9;
  original.sys_flag = sysflag::kMultiTags;
  original.reconsume_times = 4;
  original = WithProperties(original, {{"DELAY", "2"}, {"WAIT", "false"}});
  std::vector<MessageExt> msgs = {original};
  ASSERT_TRUE(RouteDelayedMessages(ThreeLevels(), msgs).ok());
  MessageExt waiting = msgs[0];
  waiting.commit_log_offset = 4096;
  waiting.queue_offset = 11;
  waiting.store_timestamp = 1700000001234;

  Result<MessageExt> delivered = MakeDeliveredMessage(waiting);
  ASSERT_TRUE(delivered.ok()) << delivered.status().ToString();
  EXPECT_EQ(delivered->topic, "T");
  EXPECT_EQ(delivered->queue_id, 3);
  EXPECT_EQ(delivered->body, original.body);
  EXPECT_EQ(delivered->flag, 9);
  EXPECT_EQ(delivered->sys_flag, sysflag::kMultiTags);
  EXPECT_EQ(delivered->reconsume_times, 4);
  EXPECT_EQ(delivered->born_timestamp, original.born_timestamp);
  EXPECT_EQ(delivered->born_host, original.born_host);
  EXPECT_EQ(delivered->store_host, original.store_host);
  EXPECT_EQ(Prop(*delivered, "UNIQ_KEY"), Prop(original, "UNIQ_KEY"));
  EXPECT_EQ(Prop(*delivered, "KEYS"), Prop(original, "KEYS"));
  EXPECT_EQ(Prop(*delivered, "DELAY"), "(none)");
  EXPECT_EQ(Prop(*delivered, "WAIT"), "(none)");  // the re-put waits for its flush
  EXPECT_EQ(Prop(*delivered, "REAL_TOPIC"), "T");
  EXPECT_EQ(delivered->commit_log_offset, 0);

  MessageExt lost = MakeMessage(std::string(kScheduleTopic), 0, 1);
  EXPECT_NE(MakeDeliveredMessage(lost).status().message().find("REAL_TOPIC"), std::string::npos);
  lost = WithProperties(lost, {{"REAL_TOPIC", "T"}, {"REAL_QID", "x"}});
  EXPECT_NE(MakeDeliveredMessage(lost).status().message().find("REAL_QID=x"), std::string::npos);
}

}  // namespace
}  // namespace holdfast::store::schedule
