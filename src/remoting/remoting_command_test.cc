#include "remoting/remoting_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "remoting/language_code.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::remoting {
namespace {

using ::testing::HasSubstr;

TEST(RemotingCommandTest, CreateRequestTakesCodeAndIncreasingOpaque) {
  RemotingCommand first = RemotingCommand::CreateRequest(RequestCode::HEART_BEAT);
  RemotingCommand second = RemotingCommand::CreateRequest(RequestCode::SEND_MESSAGE);
  EXPECT_EQ(first.code, 34);
  EXPECT_EQ(second.code, 10);
  EXPECT_EQ(second.opaque, first.opaque + 1);
  EXPECT_FALSE(first.IsResponse());
  EXPECT_FALSE(first.IsOneway());
  EXPECT_EQ(first.flag, 0);
  EXPECT_EQ(first.language, LanguageCode::kJava);
  EXPECT_FALSE(first.remark.has_value());
}

TEST(RemotingCommandTest, CreateResponseCopiesOpaqueAndSetsResponseBit) {
  RemotingCommand request = RemotingCommand::CreateRequest(RequestCode::PULL_MESSAGE);
  request.opaque = 4242;
  request.SetExtField("topic", "T");
  RemotingCommand response =
      RemotingCommand::CreateResponse(request, ResponseCode::TOPIC_NOT_EXIST, "no topic T");
  EXPECT_EQ(response.code, 17);
  EXPECT_EQ(response.opaque, 4242);
  EXPECT_TRUE(response.IsResponse());
  EXPECT_EQ(response.flag, kResponseFlag);
  EXPECT_EQ(response.remark, "no topic T");
  EXPECT_TRUE(response.ext_fields.empty());

  RemotingCommand ok = RemotingCommand::CreateResponse(request, ResponseCode::SUCCESS);
  EXPECT_FALSE(ok.remark.has_value()) << "absent, not empty";
}

TEST(RemotingCommandTest, FlagBitsAreRocketMqs) {
  EXPECT_EQ(kResponseFlag, 0x1);
  EXPECT_EQ(kOnewayFlag, 0x2);
  RemotingCommand cmd;
  cmd.MarkOneway();
  EXPECT_TRUE(cmd.IsOneway());
  EXPECT_FALSE(cmd.IsResponse());
  EXPECT_EQ(cmd.flag, 0x2);
  cmd.MarkResponse();
  EXPECT_TRUE(cmd.IsResponse());
  EXPECT_EQ(cmd.flag, 0x3);
  cmd.flag = 0x4;  // other bits are kept and ignored
  EXPECT_FALSE(cmd.IsResponse());
  EXPECT_FALSE(cmd.IsOneway());
}

TEST(RemotingCommandTest, ExtFieldsAreOrderedAndFoundByStringView) {
  RemotingCommand cmd;
  cmd.SetExtField("topic", "A");
  cmd.SetExtField("AccessKey", "k");
  cmd.SetExtField("topic", "B");  // replaces
  ASSERT_NE(cmd.FindExtField("topic"), nullptr);
  EXPECT_EQ(*cmd.FindExtField(std::string_view("topic")), "B");
  EXPECT_EQ(cmd.FindExtField("missing"), nullptr);
  EXPECT_EQ(cmd.ext_fields.begin()->first, "AccessKey");
  EXPECT_EQ(cmd.ext_fields.size(), 2u);
}

TEST(RemotingCommandTest, ToStringNamesTheCodeByDirection) {
  RemotingCommand request =
      RemotingCommand::CreateRequest(RequestCode::UPDATE_AND_CREATE_SUBSCRIPTIONGROUP);
  EXPECT_THAT(request.ToString(), HasSubstr("request UPDATE_AND_CREATE_SUBSCRIPTIONGROUP(200)"));
  RemotingCommand response =
      RemotingCommand::CreateResponse(request, ResponseCode::TRANSACTION_SHOULD_COMMIT, "why");
  EXPECT_THAT(response.ToString(), HasSubstr("response TRANSACTION_SHOULD_COMMIT(200)"));
  EXPECT_THAT(response.ToString(), HasSubstr("flag=0x1"));
  EXPECT_THAT(response.ToString(), HasSubstr("remark=\"why\""));
}

TEST(CodeNamesTest, RequestCodesHaveTheSheetsNumbersAndNames) {
  EXPECT_EQ(RequestCode::SEND_MESSAGE_V2, 310);
  EXPECT_EQ(RequestCode::SEND_BATCH_MESSAGE, 320);
  EXPECT_EQ(RequestCode::GET_ROUTEINFO_BY_TOPIC, 105);
  EXPECT_EQ(RequestCode::LITE_PULL_MESSAGE, 361);
  EXPECT_EQ(RequestCode::RECALL_MESSAGE, 370);
  EXPECT_EQ(RequestCode::BROKER_HEARTBEAT, 904);
  EXPECT_EQ(RequestCode::DELETE_TOPIC_IN_BROKER, 215);
  EXPECT_EQ(RequestCode::POP_MESSAGE, 200050);
  EXPECT_EQ(RequestCode::BATCH_ACK_MESSAGE, 200151);
  EXPECT_EQ(RequestCodeName(105), "GET_ROUTEINFO_BY_TOPIC");
  EXPECT_EQ(RequestCodeName(RequestCode::END_TRANSACTION), "END_TRANSACTION");
  EXPECT_EQ(RequestCodeName(RequestCode::AUTH_LIST_ACL), "AUTH_LIST_ACL");
  EXPECT_EQ(RequestCodeName(200056), "POP_ROLLBACK");
  EXPECT_EQ(RequestCodeName(44), "UNKNOWN");
  EXPECT_EQ(RequestCodeName(-1), "UNKNOWN");
}

TEST(CodeNamesTest, ResponseCodesHaveTheSheetsNumbersAndNames) {
  EXPECT_EQ(ResponseCode::SUCCESS, 0);
  EXPECT_EQ(ResponseCode::REQUEST_CODE_NOT_SUPPORTED, 3);
  EXPECT_EQ(ResponseCode::FLUSH_SLAVE_TIMEOUT, 12);
  EXPECT_EQ(ResponseCode::TRANSACTION_STATE_UNKNOW, 202);
  EXPECT_EQ(ResponseCode::FLOW_CONTROL, 215);
  EXPECT_EQ(ResponseCode::GO_AWAY, 1500);
  EXPECT_EQ(ResponseCodeName(0), "SUCCESS");
  EXPECT_EQ(ResponseCodeName(21), "PULL_OFFSET_MOVED");
  EXPECT_EQ(ResponseCodeName(2016), "CONTROLLER_BROKER_LIVE_INFO_NOT_EXISTS");
  EXPECT_EQ(ResponseCodeName(-1006), "RPC_TIME_OUT");
  EXPECT_EQ(ResponseCodeName(214), "UNKNOWN");
}

TEST(CodeNamesTest, LanguageCodesMatchRocketMqNamesAndBytes) {
  const char* names[] = {"JAVA",  "CPP",  "DOTNET", "PYTHON", "DELPHI", "ERLANG", "RUBY",
                         "OTHER", "HTTP", "GO",     "PHP",    "OMS",    "RUST",   "NODE_JS"};
  for (int i = 0; i < 14; ++i) {
    auto by_byte = LanguageCodeFromByte(i);
    ASSERT_TRUE(by_byte.has_value()) << i;
    EXPECT_EQ(LanguageCodeName(*by_byte), names[i]);
    EXPECT_EQ(LanguageCodeFromName(names[i]), by_byte);
  }
  EXPECT_EQ(static_cast<int>(LanguageCode::kGo), 9);
  EXPECT_EQ(static_cast<int>(LanguageCode::kNodeJs), 13);
  EXPECT_FALSE(LanguageCodeFromByte(14).has_value());
  EXPECT_FALSE(LanguageCodeFromByte(-1).has_value());
  EXPECT_FALSE(LanguageCodeFromName("java").has_value());
  EXPECT_EQ(LanguageCodeName(static_cast<LanguageCode>(200)), "OTHER");
}

}  // namespace
}  // namespace holdfast::remoting
