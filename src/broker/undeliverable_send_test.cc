#include "broker/undeliverable_send.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/message.h"
#include "remoting/response_code.h"

namespace holdfast::broker {
namespace {

using remoting::ResponseCode;

std::string Props(std::initializer_list<std::pair<const std::string, std::string>> entries) {
  return EncodeProperties(PropertyMap(entries));
}

// The refusal's remark, or "" when the message is accepted.
std::string Remark(int32_t sys_flag, int32_t reconsume_times, const std::string& properties) {
  auto refused = FindUndeliverableSend(sys_flag, reconsume_times, properties);
  return refused ? refused->remark : "";
}

TEST(UndeliverableSendTest, PlainMessagesAndCommittedOrUndelayedOnesAreDelivered) {
  EXPECT_FALSE(FindUndeliverableSend(0, 0, ""));
  EXPECT_FALSE(FindUndeliverableSend(0, 0, Props({{"TAGS", "a"}, {"UNIQ_KEY", "u"}})));
  EXPECT_FALSE(FindUndeliverableSend(0, 0, Props({{"DELAY", "0"}})));
  EXPECT_FALSE(FindUndeliverableSend(0, 0, Props({{"DELAY", "-1"}})));
  EXPECT_FALSE(FindUndeliverableSend(0, 0, Props({{"TRAN_MSG", "false"}})));
  EXPECT_FALSE(FindUndeliverableSend(sysflag::kTransactionCommitType, 0, ""));
  EXPECT_FALSE(FindUndeliverableSend(sysflag::kCompressed | sysflag::kMultiTags, 0, ""));
}

TEST(UndeliverableSendTest, TransactionalSendsAreNoPermissionNamingTheMarker) {
  for (const char* value : {"true", "TRUE", "True"}) {
    auto refused = FindUndeliverableSend(0, 0, Props({{"TRAN_MSG", value}}));
    ASSERT_TRUE(refused) << value;
    EXPECT_EQ(refused->response_code, ResponseCode::NO_PERMISSION);
    EXPECT_NE(refused->remark.find(std::string("TRAN_MSG=") + value), std::string::npos);
    EXPECT_NE(refused->remark.find("not support"), std::string::npos) << refused->remark;
    EXPECT_NE(refused->remark.find("nothing was stored"), std::string::npos) << refused->remark;
  }
  auto prepared = FindUndeliverableSend(sysflag::kTransactionPreparedType, 0, "");
  ASSERT_TRUE(prepared);
  EXPECT_EQ(prepared->response_code, ResponseCode::NO_PERMISSION);
  EXPECT_NE(prepared->remark.find("PREPARED"), std::string::npos);
  auto rollback = FindUndeliverableSend(sysflag::kTransactionRollbackType, 0, "");
  ASSERT_TRUE(rollback);
  EXPECT_NE(rollback->remark.find("ROLLBACK"), std::string::npos);
}

TEST(UndeliverableSendTest, DelayLevelsAreDeliveredAndWinOverTimerProperties) {
  EXPECT_FALSE(FindUndeliverableSend(0, 0, Props({{"DELAY", "3"}})));
  EXPECT_FALSE(FindUndeliverableSend(0, 0, Props({{"DELAY", "99"}})));
  EXPECT_FALSE(FindUndeliverableSend(0, 0, Props({{"DELAY", "1"}, {"TIMER_DELAY_SEC", "5"}})));
  // The store drops the timer properties of a delayed message, so even a malformed one is moot.
  EXPECT_FALSE(FindUndeliverableSend(0, 0, Props({{"DELAY", "2"}, {"TIMER_DELAY_SEC", "soon"}})));
}

TEST(UndeliverableSendTest, BadTimerSendsAreMessageIllegalNamingTheProperty) {
  // Timers are delivered by the timer store: only those it would refuse are refused here.
  const std::string now_ms = std::to_string(NowMillis());
  for (const char* key :
       {"TIMER_DELIVER_MS", "TIMER_DELAY_SEC", "TIMER_DELAY_MS", "__STARTDELIVERTIME"}) {
    const bool absolute = key[0] == '_' || std::string_view(key) == "TIMER_DELIVER_MS";
    EXPECT_FALSE(FindUndeliverableSend(0, 0, Props({{key, absolute ? now_ms : "2"}}))) << key;
    auto malformed = FindUndeliverableSend(0, 0, Props({{key, "soon"}}));
    ASSERT_TRUE(malformed) << key;
    EXPECT_EQ(malformed->response_code, ResponseCode::MESSAGE_ILLEGAL);
    EXPECT_NE(malformed->remark.find(std::string(key) + "=soon"), std::string::npos)
        << malformed->remark;
    EXPECT_NE(malformed->remark.find("not a whole number"), std::string::npos);
  }
  // Four days is beyond timerMaxDelaySec (3 days), in every form.
  const int64_t four_days_ms = 4LL * 86400 * 1000;
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"TIMER_DELAY_SEC", "345600"},
           {"TIMER_DELAY_MS", std::to_string(four_days_ms)},
           {"TIMER_DELIVER_MS", std::to_string(NowMillis() + four_days_ms)},
           {"__STARTDELIVERTIME", std::to_string(NowMillis() + four_days_ms)}}) {
    auto far = FindUndeliverableSend(0, 0, Props({{key, value}}));
    ASSERT_TRUE(far) << key;
    EXPECT_EQ(far->response_code, ResponseCode::MESSAGE_ILLEGAL);
    EXPECT_NE(far->remark.find(key + "=" + value), std::string::npos) << far->remark;
    EXPECT_NE(far->remark.find("timerMaxDelaySec 259200"), std::string::npos) << far->remark;
  }
  // The broker's own limit applies.
  store::MessageStoreConfig one_hour;
  one_hour.timer_max_delay_sec = 3600;
  EXPECT_TRUE(
      FindUndeliverableSend(0, 0, Props({{"TIMER_DELAY_SEC", "3601"}}), "the message", &one_hour));
  EXPECT_FALSE(
      FindUndeliverableSend(0, 0, Props({{"TIMER_DELAY_SEC", "3600"}}), "the message", &one_hour));
  auto not_a_level = FindUndeliverableSend(0, 0, Props({{"DELAY", "soon"}}));
  ASSERT_TRUE(not_a_level);
  EXPECT_EQ(not_a_level->response_code, ResponseCode::MESSAGE_ILLEGAL);
  EXPECT_NE(not_a_level->remark.find("DELAY=soon"), std::string::npos);
}

TEST(UndeliverableSendTest, OldClientsRetryWithTranMsgIsNotATransaction) {
  // A consumer's retry from a client before 4.6.1 keeps TRAN_MSG; RocketMQ stores it as a normal
  // (delayed) message, and so do we.
  const std::string retry = Props({{"TRAN_MSG", "true"}, {"DELAY", "3"}});
  EXPECT_EQ(Remark(0, 1, retry), "");
  EXPECT_FALSE(FindUndeliverableSend(sysflag::kTransactionPreparedType, 1, retry));
  // Without reconsumeTimes it is a transaction.
  EXPECT_EQ(FindUndeliverableSend(0, 0, retry)->response_code, ResponseCode::NO_PERMISSION);
}

}  // namespace
}  // namespace holdfast::broker
