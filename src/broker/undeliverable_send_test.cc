#include "broker/undeliverable_send.h"

#include <gtest/gtest.h>

#include <string>

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
}

TEST(UndeliverableSendTest, TimedSendsAreMessageIllegalNamingTheProperty) {
  for (const char* key :
       {"TIMER_DELIVER_MS", "TIMER_DELAY_SEC", "TIMER_DELAY_MS", "__STARTDELIVERTIME"}) {
    auto timed = FindUndeliverableSend(0, 0, Props({{key, "1700000000000"}}));
    ASSERT_TRUE(timed) << key;
    EXPECT_EQ(timed->response_code, ResponseCode::MESSAGE_ILLEGAL);
    EXPECT_NE(timed->remark.find(std::string(key) + "=1700000000000"), std::string::npos)
        << timed->remark;
  }
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
