#include "remoting/frame_codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <string>

#include "common/byte_order.h"
#include "remoting/json_header.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"
#include "remoting/rocketmq_header.h"

namespace holdfast::remoting {
namespace {

using ::testing::HasSubstr;

// "0069 00 01DF" -> the bytes 00 69 00 01 DF (spaces ignored).
std::string FromHex(std::string_view hex) {
  std::string out;
  int high = -1;
  for (char c : hex) {
    if (c == ' ') continue;
    int nibble = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::toupper(c) - 'A' + 10;
    if (high < 0) {
      high = nibble;
    } else {
      out.push_back(static_cast<char>(high << 4 | nibble));
      high = -1;
    }
  }
  return out;
}

// A whole frame around raw header bytes, as a peer might send it.
std::string RawFrame(SerializeType type, std::string_view header, std::string_view body = "") {
  std::string frame;
  AppendInt32(&frame, static_cast<int32_t>(4 + header.size() + body.size()));
  AppendInt32(&frame, static_cast<int32_t>(
                          MakeHeaderLengthWord(type, static_cast<uint32_t>(header.size()))));
  frame.append(header);
  frame.append(body);
  return frame;
}

// The example command of docs/protocol.md §1.2: GET_ROUTEINFO_BY_TOPIC from JAVA V5_3_3, opaque 1,
// {topic: T}.
RemotingCommand SheetExample() {
  RemotingCommand cmd;
  cmd.code = RequestCode::GET_ROUTEINFO_BY_TOPIC;
  cmd.language = LanguageCode::kJava;
  cmd.version = 479;
  cmd.opaque = 1;
  cmd.flag = 0;
  cmd.SetExtField("topic", "T");
  return cmd;
}

RemotingCommand FullCommand() {
  RemotingCommand cmd;
  cmd.code = ResponseCode::PULL_NOT_FOUND;
  cmd.language = LanguageCode::kGo;
  cmd.version = 317;
  cmd.opaque = -123456;
  cmd.flag = kResponseFlag | kOnewayFlag;
  cmd.remark = "no new message, \"quoted\" \\ and \xE4\xB8\xAD";
  cmd.SetExtField("nextBeginOffset", "42");
  cmd.SetExtField("minOffset", "0");
  cmd.SetExtField("empty", "");
  cmd.SetExtField("unicode", "\xF0\x9F\x98\x80");
  cmd.body = std::string("body\0with\xFF bytes", 16);
  return cmd;
}

Status DecodeError(const std::string& frame) {
  auto cmd = DecodeFrame(frame);
  EXPECT_FALSE(cmd.ok()) << "decoded although bad";
  return cmd.status();
}

// --- Fixtures from docs/protocol.md ---------------------------------------------------------

TEST(FrameCodecTest, JsonFrameMatchesTheSheetsRouteInfoPrefix) {
  auto frame = EncodeFrame(SheetExample(), SerializeType::kJson);
  ASSERT_TRUE(frame.ok()) << frame.status().ToString();
  const std::string header =
      R"({"code":105,"extFields":{"topic":"T"},"flag":0,"language":"JAVA","opaque":1,)"
      R"("serializeTypeCurrentRPC":"JSON","version":479})";
  ASSERT_EQ(header.size(), 123u);
  EXPECT_EQ(*frame, FromHex("0000007F 0000007B") + header);
}

TEST(FrameCodecTest, RocketmqHeaderMatchesTheSheetsWorkedExampleByteForByte) {
  const std::string expected_header =
      FromHex("0069 00 01DF 00000001 00000000 00000000 0000000C 0005 746F706963 00000001 54");
  ASSERT_EQ(expected_header.size(), 33u);
  auto header = EncodeRocketmqHeader(SheetExample());
  ASSERT_TRUE(header.ok()) << header.status().ToString();
  EXPECT_EQ(*header, expected_header);

  auto frame = EncodeFrame(SheetExample(), SerializeType::kRocketmq);
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(*frame, FromHex("00000025 01000021") + expected_header);

  auto decoded = DecodeFrame(*frame);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  RemotingCommand expected = SheetExample();
  expected.serialize_type = SerializeType::kRocketmq;
  EXPECT_EQ(*decoded, expected);
}

// --- Round trips ------------------------------------------------------------------------------

TEST(FrameCodecTest, JsonRoundTripKeepsEveryField) {
  RemotingCommand cmd = FullCommand();
  auto frame = EncodeFrame(cmd, SerializeType::kJson);
  ASSERT_TRUE(frame.ok());
  auto decoded = DecodeFrame(*frame);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, cmd);
}

TEST(FrameCodecTest, RocketmqRoundTripKeepsEveryField) {
  RemotingCommand cmd = FullCommand();
  auto frame = EncodeFrame(cmd, SerializeType::kRocketmq);
  ASSERT_TRUE(frame.ok()) << frame.status().ToString();
  auto decoded = DecodeFrame(*frame);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  cmd.serialize_type = SerializeType::kRocketmq;
  EXPECT_EQ(*decoded, cmd);
}

TEST(FrameCodecTest, JsonKeepsAbsentAndEmptyRemarksApart) {
  RemotingCommand cmd = SheetExample();
  auto absent = EncodeFrame(cmd, SerializeType::kJson);
  ASSERT_TRUE(absent.ok());
  EXPECT_THAT(*absent, ::testing::Not(HasSubstr("remark")));
  EXPECT_FALSE(DecodeFrame(*absent)->remark.has_value());

  cmd.remark = "";
  auto empty = EncodeFrame(cmd, SerializeType::kJson);
  ASSERT_TRUE(empty.ok());
  EXPECT_THAT(*empty, HasSubstr(R"("remark":"")"));
  EXPECT_EQ(DecodeFrame(*empty)->remark, "");
}

TEST(FrameCodecTest, RocketmqEmptyRemarkDecodesAsAbsent) {
  RemotingCommand cmd = SheetExample();
  cmd.remark = "";
  auto frame = EncodeFrame(cmd, SerializeType::kRocketmq);
  ASSERT_TRUE(frame.ok());
  auto decoded = DecodeFrame(*frame);
  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(decoded->remark.has_value());
}

TEST(FrameCodecTest, JsonOmitsEmptyExtFieldsAndRoundTripsNoBody) {
  RemotingCommand cmd = RemotingCommand::CreateRequest(RequestCode::GET_BROKER_CLUSTER_INFO);
  auto frame = EncodeFrame(cmd, SerializeType::kJson);
  ASSERT_TRUE(frame.ok());
  EXPECT_THAT(*frame, ::testing::Not(HasSubstr("extFields")));
  auto decoded = DecodeFrame(*frame);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, cmd);
}

TEST(FrameCodecTest, EmittedExtFieldsValuesAreAlwaysJsonStrings) {
  // A C++-client-style request with numeric values, decoded and re-encoded as a server would.
  std::string in = RawFrame(SerializeType::kJson,
                            R"({"code":11,"opaque":1,"extFields":{"queueId":3,"sysFlag":0,)"
                            R"("maxMsgNums":32,"suspend":true,"topic":"T","ratio":0.5}})");
  auto cmd = DecodeFrame(in);
  ASSERT_TRUE(cmd.ok()) << cmd.status().ToString();
  auto out = EncodeFrame(*cmd, SerializeType::kJson);
  ASSERT_TRUE(out.ok());
  uint32_t header_length = GetBigEndian32(out->data() + 4) & 0xFFFFFF;
  auto header = nlohmann::json::parse(out->substr(8, header_length));
  ASSERT_TRUE(header.contains("extFields"));
  ASSERT_EQ(header["extFields"].size(), 6u);
  for (const auto& [key, value] : header["extFields"].items()) {
    EXPECT_TRUE(value.is_string()) << key << " was written as " << value.type_name();
  }
  EXPECT_EQ(header["extFields"]["queueId"], "3");
  EXPECT_EQ(header["extFields"]["suspend"], "true");
  EXPECT_TRUE(header["code"].is_number_integer());
  EXPECT_EQ(header["language"], "JAVA");
  EXPECT_EQ(header["serializeTypeCurrentRPC"], "JSON");
}

// --- Accepting what real clients send ---------------------------------------------------------

TEST(FrameCodecTest, JsonAcceptsKeysInAnyOrderAndUnknownKeys) {
  std::string frame =
      RawFrame(SerializeType::kJson,
               R"( {"serializeTypeCurrentRPC":"JSON","extFields":{"b":"2","a":"1"},)"
               R"("opaque":7,"futureKey":{"nested":[1,2]},"version":333,)"
               R"("language":"CPP","flag":1,"remark":null,"code":0} )",
               "payload");
  auto cmd = DecodeFrame(frame);
  ASSERT_TRUE(cmd.ok()) << cmd.status().ToString();
  EXPECT_EQ(cmd->code, 0);
  EXPECT_EQ(cmd->opaque, 7);
  EXPECT_EQ(cmd->version, 333);
  EXPECT_EQ(cmd->language, LanguageCode::kCpp);
  EXPECT_TRUE(cmd->IsResponse());
  EXPECT_FALSE(cmd->remark.has_value());
  EXPECT_EQ(cmd->ext_fields, (ExtFields{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(cmd->body, "payload");
  EXPECT_EQ(cmd->serialize_type, SerializeType::kJson);
}

TEST(FrameCodecTest, JsonDefaultsForOptionalKeys) {
  auto cmd = DecodeFrame(RawFrame(SerializeType::kJson, R"({"code":34,"opaque":9})"));
  ASSERT_TRUE(cmd.ok()) << cmd.status().ToString();
  EXPECT_EQ(cmd->language, LanguageCode::kJava);
  EXPECT_EQ(cmd->version, 0);
  EXPECT_EQ(cmd->flag, 0);
  EXPECT_FALSE(cmd->remark.has_value());
  EXPECT_TRUE(cmd->ext_fields.empty());
}

TEST(FrameCodecTest, ExtFieldsNumbersAndBooleansAreNormalisedToText) {
  auto cmd = DecodeFrame(RawFrame(SerializeType::kJson,
                                  R"({"code":310,"opaque":1,"extFields":{"d":4,"e":-1,)"
                                  R"("f":0,"l":1700000000000,"m":false,"n":true,)"
                                  R"("big":18446744073709551615,"gone":null,"s":"x"}})"));
  ASSERT_TRUE(cmd.ok()) << cmd.status().ToString();
  EXPECT_EQ(cmd->ext_fields, (ExtFields{{"big", "18446744073709551615"},
                                        {"d", "4"},
                                        {"e", "-1"},
                                        {"f", "0"},
                                        {"l", "1700000000000"},
                                        {"m", "false"},
                                        {"n", "true"},
                                        {"s", "x"}}));
}

TEST(FrameCodecTest, CppClientPullRequestWithMixedTypingIsAccepted) {
  // Shape of the C++ 2.x client's PULL_MESSAGE header (docs/protocol.md §1.7): queueId, maxMsgNums
  // and sysFlag as numbers, the rest as strings, plus the empty ACL keys it always adds.
  std::string header =
      R"({"code":11,"extFields":{"AccessKey":"","OnsChannel":"","Signature":"",)"
      R"("commitOffset":"0","consumerGroup":"cg","expressionType":"TAG","maxMsgNums":32,)"
      R"("queueId":1,"queueOffset":"128","subVersion":"0","subscription":"*","suspendTimeoutMillis":"20000",)"
      R"("sysFlag":2,"topic":"TopicTest"},"flag":0,"language":"CPP","opaque":5,"remark":"",)"
      R"("version":333})";
  auto cmd = DecodeFrame(RawFrame(SerializeType::kJson, header));
  ASSERT_TRUE(cmd.ok()) << cmd.status().ToString();
  EXPECT_EQ(cmd->code, RequestCode::PULL_MESSAGE);
  EXPECT_EQ(cmd->language, LanguageCode::kCpp);
  EXPECT_EQ(*cmd->FindExtField("queueId"), "1");
  EXPECT_EQ(*cmd->FindExtField("maxMsgNums"), "32");
  EXPECT_EQ(*cmd->FindExtField("sysFlag"), "2");
  EXPECT_EQ(*cmd->FindExtField("queueOffset"), "128");
  EXPECT_EQ(*cmd->FindExtField("Signature"), "");
  EXPECT_EQ(cmd->ext_fields.size(), 14u);
}

TEST(FrameCodecTest, UnknownLanguagesBecomeOther) {
  auto by_name =
      DecodeFrame(RawFrame(SerializeType::kJson, R"({"code":1,"opaque":1,"language":"COBOL"})"));
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(by_name->language, LanguageCode::kOther);
  auto by_ordinal =
      DecodeFrame(RawFrame(SerializeType::kJson, R"({"code":1,"opaque":1,"language":9})"));
  ASSERT_TRUE(by_ordinal.ok());
  EXPECT_EQ(by_ordinal->language, LanguageCode::kGo);

  std::string binary = *EncodeRocketmqHeader(SheetExample());
  binary[2] = static_cast<char>(99);
  auto by_byte = DecodeFrame(RawFrame(SerializeType::kRocketmq, binary));
  ASSERT_TRUE(by_byte.ok());
  EXPECT_EQ(by_byte->language, LanguageCode::kOther);
}

TEST(FrameCodecTest, RocketmqRepeatedKeyKeepsTheLastValue) {
  std::string header = FromHex("0069 00 01DF 00000001 00000000 00000000 00000018");
  header += FromHex("0005 746F706963 00000001 41");  // topic=A
  header += FromHex("0005 746F706963 00000001 42");  // topic=B
  auto cmd = DecodeFrame(RawFrame(SerializeType::kRocketmq, header));
  ASSERT_TRUE(cmd.ok()) << cmd.status().ToString();
  EXPECT_EQ(cmd->ext_fields, (ExtFields{{"topic", "B"}}));
}

TEST(FrameCodecTest, RocketmqIllFormedUtf8IsReplacedLikeJava) {
  std::string header = FromHex("0069 00 01DF 00000001 00000000 00000002 FF41 0000000C");
  header += FromHex("0005 746F706963 00000001 C3");
  auto cmd = DecodeFrame(RawFrame(SerializeType::kRocketmq, header));
  ASSERT_TRUE(cmd.ok()) << cmd.status().ToString();
  EXPECT_EQ(cmd->remark, std::string("\xEF\xBF\xBD") + "A");
  EXPECT_EQ(*cmd->FindExtField("topic"), "\xEF\xBF\xBD");
  // ...so the command can always be re-sent as JSON.
  auto again = DecodeFrame(*EncodeFrame(*cmd, SerializeType::kJson));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->remark, cmd->remark);
}

// --- What cannot be encoded -------------------------------------------------------------------

TEST(FrameCodecTest, RocketmqRefusesFieldsThatDoNotFitAShort) {
  RemotingCommand pop = RemotingCommand::CreateRequest(RequestCode::POP_MESSAGE);
  auto frame = EncodeFrame(pop, SerializeType::kRocketmq);
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(frame.status().message(), HasSubstr("code 200050"));
  EXPECT_TRUE(EncodeFrame(pop, SerializeType::kJson).ok());

  RemotingCommand versioned = SheetExample();
  versioned.version = 40000;
  EXPECT_THAT(EncodeFrame(versioned, SerializeType::kRocketmq).status().message(),
              HasSubstr("version 40000"));

  RemotingCommand long_key = SheetExample();
  long_key.SetExtField(std::string(40000, 'k'), "v");
  EXPECT_THAT(EncodeFrame(long_key, SerializeType::kRocketmq).status().message(),
              HasSubstr("key of 40000 bytes"));
}

TEST(FrameCodecTest, HeaderOver24BitsIsRefused) {
  RemotingCommand cmd = SheetExample();
  cmd.remark = std::string(kMaxHeaderLength, 'r');
  for (SerializeType type : {SerializeType::kJson, SerializeType::kRocketmq}) {
    auto frame = EncodeFrame(cmd, type);
    ASSERT_FALSE(frame.ok());
    EXPECT_THAT(frame.status().message(), HasSubstr("24-bit header length"));
  }
}

// --- Bad input --------------------------------------------------------------------------------

TEST(FrameCodecTest, FramePrefixErrorsNameTheProblem) {
  EXPECT_THAT(DecodeError(FromHex("FFFFFFFF 00000000")).message(),
              HasSubstr("negative frame length -1"));
  EXPECT_THAT(DecodeError(FromHex("00000003 00000000")).message(),
              HasSubstr("frame length 3 is below the minimum 4"));
  EXPECT_THAT(DecodeError(FromHex("00000004 05000000")).message(),
              HasSubstr("unknown serialize type 5"));
  EXPECT_THAT(DecodeError(FromHex("00000006 00000003 7B7D")).message(),
              HasSubstr("header length 3 is larger than the frame leaves for it (2 bytes)"));
  EXPECT_THAT(DecodeError(FromHex("00000004 000000")).message(), HasSubstr("frame truncated"));
  EXPECT_THAT(DecodeError(FromHex("00000005 00000000")).message(),
              HasSubstr("frame is 8 bytes but its length field says 9"));
  auto too_big = ParseFramePrefix(FromHex("01000000"));
  ASSERT_FALSE(too_big.ok());
  EXPECT_THAT(too_big.status().message(),
              HasSubstr("frame of 16777220 bytes exceeds the maximum frame length 16777216"));
  EXPECT_EQ(*ParseFramePrefix(FromHex("00FFFFFC")), kDefaultFrameMaxLength);
  EXPECT_EQ(ParseFramePrefix(FromHex("000000")).status().code(), Status::Code::kInvalidArgument);
}

TEST(FrameCodecTest, JsonHeaderErrorsNameTheProblem) {
  struct Case {
    const char* header;
    const char* error;
  };
  const Case cases[] = {
      {"", "not valid JSON (0 bytes)"},
      {R"({"code":1,"opaque":1)", "not valid JSON"},
      {R"([1,2])", "must be a JSON object, got array"},
      {R"({"opaque":1})", "missing required key code"},
      {R"({"code":null,"opaque":1})", "missing required key code"},
      {R"({"code":1})", "missing required key opaque"},
      {R"({"code":"10","opaque":1})", "code must be an integer, got string"},
      {R"({"code":1.5,"opaque":1})", "code must be an integer, got a fraction 1.5"},
      {R"({"code":1,"opaque":4294967296})", "opaque 4294967296 is outside the int range"},
      {R"({"code":1,"opaque":-2147483649})", "opaque -2147483649 is outside the int range"},
      {R"({"code":1,"opaque":1,"flag":"1"})", "flag must be an integer, got string"},
      {R"({"code":1,"opaque":1,"version":true})", "version must be an integer, got boolean"},
      {R"({"code":1,"opaque":1,"language":["CPP"]})",
       "language must be a string or an integer, got array"},
      {R"({"code":1,"opaque":1,"remark":5})", "remark must be a string, got number"},
      {R"({"code":1,"opaque":1,"extFields":"a=b"})", "extFields must be an object, got string"},
      {R"({"code":1,"opaque":1,"extFields":{"k":[1]}})",
       "extFields value of key \"k\" must be a string, number or boolean, got array"},
  };
  for (const Case& c : cases) {
    Status status = DecodeError(RawFrame(SerializeType::kJson, c.header));
    EXPECT_TRUE(status.IsCorruption()) << c.header;
    EXPECT_THAT(status.message(), HasSubstr("JSON header")) << c.header;
    EXPECT_THAT(status.message(), HasSubstr(c.error)) << c.header;
  }
}

TEST(FrameCodecTest, RocketmqHeaderErrorsNameTheProblem) {
  const std::string fixed = FromHex("0069 00 01DF 00000001 00000000");  // up to remarkLen
  struct Case {
    std::string header;
    const char* error;
  };
  const Case cases[] = {
      {FromHex("0069 00 01DF"), "truncated: the fixed fields needs 17 bytes at offset 0"},
      {fixed + FromHex("FFFFFFFF"), "negative remark length -1 at offset 13"},
      {fixed + FromHex("00000005 4142"), "truncated: remark needs 5 bytes at offset 17"},
      {fixed + FromHex("00000000"), "truncated: extLen needs 4 bytes at offset 17"},
      {fixed + FromHex("00000000 80000000"), "negative extLen -2147483648 at offset 17"},
      {fixed + FromHex("00000000 00000010 0001"), "truncated: extFields map needs 16 bytes"},
      {fixed + FromHex("00000000 00000002 FFFF"), "negative extFields key length -1 at offset 21"},
      {fixed + FromHex("00000000 00000003 000541"),
       "truncated: extFields key needs 5 bytes at offset 23 but the extFields map has only 1"},
      {fixed + FromHex("00000000 00000007 000141 FFFFFFFF"),
       "negative extFields value length -1 at offset 24"},
      {fixed + FromHex("00000000 00000008 000141 00000002 42"),
       "truncated: extFields value needs 2 bytes"},
      {fixed + FromHex("00000000 00000000 00"), "has 1 bytes after the extFields map"},
  };
  for (const Case& c : cases) {
    Status status = DecodeError(RawFrame(SerializeType::kRocketmq, c.header));
    EXPECT_TRUE(status.IsCorruption()) << c.error;
    EXPECT_THAT(status.message(), HasSubstr("ROCKETMQ header")) << c.error;
    EXPECT_THAT(status.message(), HasSubstr(c.error));
  }
}

}  // namespace
}  // namespace holdfast::remoting
