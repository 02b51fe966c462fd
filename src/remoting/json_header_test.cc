#include "remoting/json_header.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

namespace holdfast::remoting {
namespace {

using ::testing::HasSubstr;

RemotingCommand WithRemark(std::string remark) {
  RemotingCommand cmd;
  cmd.remark = std::move(remark);
  return cmd;
}

// The remark as EncodeJsonHeader wrote it, quotes included.
std::string EncodedRemark(std::string remark) {
  std::string header = EncodeJsonHeader(WithRemark(std::move(remark)));
  size_t start = header.find("\"remark\":") + 9;
  size_t end = header.find(",\"serializeTypeCurrentRPC\"");
  return header.substr(start, end - start);
}

// A header with code 1 and opaque 2 plus `members` (a JSON text of members, or "").
std::string Header(std::string_view members) {
  std::string header = R"({"code":1,"opaque":2)";
  if (!members.empty()) header += "," + std::string(members);
  return header + "}";
}

RemotingCommand Decode(std::string_view header) {
  auto cmd = DecodeJsonHeader(header);
  EXPECT_TRUE(cmd.ok()) << header << ": " << cmd.status().ToString();
  return cmd.ok() ? *cmd : RemotingCommand();
}

std::string DecodeError(std::string_view header) {
  auto cmd = DecodeJsonHeader(header);
  EXPECT_FALSE(cmd.ok()) << "decoded although bad: " << header;
  if (cmd.ok()) return "";
  EXPECT_TRUE(cmd.status().IsCorruption()) << header;
  return std::string(cmd.status().message());
}

std::string Fffd() { return "\xEF\xBF\xBD"; }

// --- Encoding ------------------------------------------------------------------------------------

TEST(JsonHeaderTest, EncodesEveryKeyInAlphabeticalOrderWithoutSpaces) {
  RemotingCommand cmd;
  cmd.code = -7;
  cmd.language = LanguageCode::kCpp;
  cmd.version = 2147483647;
  cmd.opaque = -2147483647 - 1;
  cmd.flag = 3;
  cmd.remark = "r";
  cmd.SetExtField("zeta", "1");
  cmd.SetExtField("alpha", "");
  EXPECT_EQ(EncodeJsonHeader(cmd),
            R"({"code":-7,"extFields":{"alpha":"","zeta":"1"},"flag":3,"language":"CPP",)"
            R"("opaque":-2147483648,"remark":"r","serializeTypeCurrentRPC":"JSON",)"
            R"("version":2147483647})");
  EXPECT_EQ(EncodeJsonHeader(RemotingCommand()),
            R"({"code":0,"flag":0,"language":"JAVA","opaque":0,)"
            R"("serializeTypeCurrentRPC":"JSON","version":0})");
}

TEST(JsonHeaderTest, EncodesControlCharactersAsNlohmannDid) {
  EXPECT_EQ(EncodedRemark(std::string("\0\x01\x1f", 3)), R"("\u0000\u0001\u001f")");
  EXPECT_EQ(EncodedRemark("\b\t\n\f\r"), R"("\b\t\n\f\r")");
  EXPECT_EQ(EncodedRemark("\x0b\x1b"), R"("\u000b\u001b")");
  EXPECT_EQ(EncodedRemark("q\"b\\s/"), R"("q\"b\\s/")");
  EXPECT_EQ(EncodedRemark("\x7f"), "\"\x7f\"");  // DEL is not escaped
  EXPECT_EQ(EncodedRemark(""), R"("")");
}

TEST(JsonHeaderTest, EncodesNonAsciiAsRawUtf8) {
  for (std::string text : {"\xC3\xA9", "\xE4\xB8\xAD\xE6\x96\x87", "\xF0\x9F\x98\x80",
                           "\xF4\x8F\xBF\xBF", "\xEF\xBF\xBD"}) {
    EXPECT_EQ(EncodedRemark(text), "\"" + text + "\"");
  }
}

TEST(JsonHeaderTest, EncodesIllFormedUtf8AsReplacementCharacters) {
  EXPECT_EQ(EncodedRemark("a\xFF"
                          "b"),
            "\"a" + Fffd() + "b\"");
  EXPECT_EQ(EncodedRemark("\xC0\x80"), "\"" + Fffd() + Fffd() + "\"");  // overlong
  EXPECT_EQ(EncodedRemark("\xED\xA0\x80"),
            "\"" + Fffd() + Fffd() + Fffd() + "\"");           // an encoded surrogate
  EXPECT_EQ(EncodedRemark("\xE2\x82"), "\"" + Fffd() + "\"");  // cut at the end
  EXPECT_EQ(EncodedRemark("\xE2\x82z\n"), "\"" + Fffd() + "z\\n\"");
  EXPECT_EQ(EncodedRemark("\xC3\xA9\xF0\x9F\x98"), "\"\xC3\xA9" + Fffd() + "\"");
  RemotingCommand cmd;
  cmd.SetExtField("k\xFF", "v\x80");
  EXPECT_THAT(EncodeJsonHeader(cmd),
              HasSubstr("\"extFields\":{\"k" + Fffd() + "\":\"v" + Fffd() + "\"}"));
}

TEST(JsonHeaderTest, EveryAsciiCharacterRoundTrips) {
  std::string all;
  for (int c = 0; c < 0x80; ++c) all += static_cast<char>(c);
  RemotingCommand cmd = WithRemark(all);
  cmd.SetExtField(all, all);
  cmd.code = 1;
  auto decoded = DecodeJsonHeader(EncodeJsonHeader(cmd));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, cmd);
}

// --- Decoding strings ----------------------------------------------------------------------------

TEST(JsonHeaderTest, DecodesEscapes) {
  EXPECT_EQ(Decode(Header(R"("remark":"\"\\\/\b\f\n\r\t")")).remark, "\"\\/\b\f\n\r\t");
  EXPECT_EQ(Decode(Header(R"("remark":"\u0041\u00e9\u00E9\u4e2d")")).remark,
            "A\xC3\xA9\xC3\xA9\xE4\xB8\xAD");
  EXPECT_EQ(Decode(Header(R"("remark":"a\u0000b")")).remark, std::string("a\0b", 3));
  EXPECT_EQ(Decode(Header(R"("remark":"\uffff\u07ff\u0080")")).remark,
            "\xEF\xBF\xBF\xDF\xBF\xC2\x80");
}

TEST(JsonHeaderTest, DecodesSurrogatePairs) {
  EXPECT_EQ(Decode(Header(R"("remark":"\ud83d\ude00")")).remark, "\xF0\x9F\x98\x80");
  EXPECT_EQ(Decode(Header(R"("remark":"\uD800\uDC00\uDBFF\uDFFF")")).remark,
            "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF");
}

TEST(JsonHeaderTest, RefusesLoneSurrogatesAndBadEscapes) {
  for (std::string_view value :
       {R"("\ud800")", R"("\udc00")", R"("\ud800\u0041")", R"("\ud800x")", R"("\ud800\")",
        R"("\udbff\ud800")", R"("\x")", R"("\u12g4")", R"("\u12")", R"("\U0041")", R"("\)"}) {
    std::string header = Header("\"remark\":" + std::string(value));
    EXPECT_THAT(DecodeError(header), HasSubstr("not valid JSON")) << header;
  }
  EXPECT_THAT(DecodeError(Header(R"("remark":"\ud800")")), HasSubstr("surrogate"));
}

TEST(JsonHeaderTest, RefusesIllFormedUtf8AndRawControlCharacters) {
  for (std::string_view bytes :
       {"\xFF", "\x80", "\xC0\x80", "\xC3", "\xED\xA0\x80", "\xF4\x90\x80\x80",
        "\xF8\x88\x80\x80\x80", "\x01", "\n", "\x1f"}) {
    std::string header = Header("\"remark\":\"a" + std::string(bytes) + "b\"");
    EXPECT_THAT(DecodeError(header), HasSubstr("not valid JSON")) << header;
    // Also where nothing reads the value.
    header = Header("\"unknown\":[\"" + std::string(bytes) + "\"]");
    EXPECT_THAT(DecodeError(header), HasSubstr("not valid JSON")) << header;
  }
  EXPECT_THAT(DecodeError(Header("\"remark\":\"\xFF\"")), HasSubstr("ill-formed UTF-8"));
  EXPECT_EQ(Decode(Header("\"remark\":\"\x7f\xF4\x8F\xBF\xBF\"")).remark, "\x7f\xF4\x8F\xBF\xBF");
}

TEST(JsonHeaderTest, KeysMayBeEscaped) {
  RemotingCommand cmd = Decode(R"({"c\u006fde":5,"\u006fpaque":6,"extFields":{"\u00e9":"x"}})");
  EXPECT_EQ(cmd.code, 5);
  EXPECT_EQ(cmd.opaque, 6);
  EXPECT_EQ(cmd.ext_fields, (ExtFields{{"\xC3\xA9", "x"}}));
}

// --- Decoding structure --------------------------------------------------------------------------

TEST(JsonHeaderTest, SkipsNestedUnknownValues) {
  RemotingCommand cmd =
      Decode(R"({"x":{"a":[1,{"b":[[],{}]},"]}",-2.5e-3,true,false,null],"c":"}"},"code":7,)"
             R"("y":[[[["[{"]]]],"opaque":8,"z":{},"w":[],"serializeTypeCurrentRPC":{"k":1}})");
  EXPECT_EQ(cmd.code, 7);
  EXPECT_EQ(cmd.opaque, 8);
  EXPECT_TRUE(cmd.ext_fields.empty());
}

TEST(JsonHeaderTest, DeeplyNestedUnknownValuesDoNotExhaustTheStack) {
  const int depth = 200000;
  std::string deep = std::string(depth, '[') + std::string(depth, ']');
  EXPECT_EQ(Decode(Header("\"x\":" + deep)).code, 1);
  std::string objects;
  for (int i = 0; i < depth; ++i) objects += R"({"a":)";
  objects += "1" + std::string(depth, '}');
  EXPECT_EQ(Decode(Header("\"x\":" + objects)).code, 1);
  EXPECT_THAT(DecodeError(Header("\"x\":" + std::string(depth, '['))), HasSubstr("not valid JSON"));
}

TEST(JsonHeaderTest, RefusesMalformedStructure) {
  for (std::string_view header : {R"({"x":[1}],"code":1,"opaque":2})",
                                  R"({"x":{"a":1]},"code":1,"opaque":2})",
                                  R"({"x":[1,],"code":1,"opaque":2})",
                                  R"({"x":{"a":1,},"code":1,"opaque":2})",
                                  R"({"x":{1:2},"code":1,"opaque":2})",
                                  R"({"x":{"a" 1},"code":1,"opaque":2})",
                                  R"({"code":1,"opaque":2,})",
                                  R"({"code":1 "opaque":2})",
                                  R"({code:1,"opaque":2})",
                                  R"({"code":1,"opaque":2}})",
                                  R"({"code":1,"opaque":2} x)",
                                  R"({"code":1,"opaque":2}{})",
                                  R"({"code":tru,"opaque":2})",
                                  R"({"code":nul,"opaque":2})",
                                  R"({"code":True,"opaque":2})",
                                  R"({"code":1,"opaque":2,"extFields":{"a":"b",}})",
                                  R"({"code":1,"opaque":2,"extFields":{"a"}})",
                                  R"({"code":1,"opaque":2,"extFields":{"a":}})",
                                  R"({"code":1,"opaque":2,"extFields":{)",
                                  R"({"code":1,"opaque":2}/*c*/)",
                                  "\xEF\xBB{}",
                                  "{",
                                  "}",
                                  ":",
                                  "\"",
                                  "x"}) {
    EXPECT_THAT(DecodeError(header), HasSubstr("not valid JSON")) << header;
  }
}

TEST(JsonHeaderTest, InvalidJsonErrorSaysWhatAndWhere) {
  EXPECT_THAT(DecodeError(R"({"code":1,"opaque":2,})"),
              HasSubstr("not valid JSON (22 bytes): object key expected at byte 21"));
  EXPECT_THAT(DecodeError(R"({"code":01,"opaque":2})"), HasSubstr("',' or '}' expected"));
}

TEST(JsonHeaderTest, TopLevelValuesThatAreNotObjectsAreNamed) {
  EXPECT_THAT(DecodeError("1.5"), HasSubstr("must be a JSON object, got number"));
  EXPECT_THAT(DecodeError("\"x\""), HasSubstr("must be a JSON object, got string"));
  EXPECT_THAT(DecodeError(" null "), HasSubstr("must be a JSON object, got null"));
  EXPECT_THAT(DecodeError("true"), HasSubstr("must be a JSON object, got boolean"));
  EXPECT_THAT(DecodeError("[{}]"), HasSubstr("must be a JSON object, got array"));
}

TEST(JsonHeaderTest, AcceptsJsonWhitespaceEverywhereAndNothingElse) {
  RemotingCommand cmd = Decode(
      " \t\r\n{ \t\r\n\"code\" \t\r\n: \t\r\n3 \t\r\n, \"extFields\" : { \"k\" : \"v\" , \"n\" : "
      "2 } , \"x\" : [ 1 , { } ] , \"opaque\":4 \n}\r\n\t ");
  EXPECT_EQ(cmd.code, 3);
  EXPECT_EQ(cmd.opaque, 4);
  EXPECT_THAT(DecodeError(Header("\"flag\":[1 , 2]")), HasSubstr("flag must be an integer"));
  for (std::string_view space : {"\f", "\v", "\xC2\xA0"}) {
    std::string header = std::string(space) + Header("");
    EXPECT_THAT(DecodeError(header), HasSubstr("not valid JSON")) << header;
  }
}

TEST(JsonHeaderTest, ByteOrderMarkAndTrailingNulAreAcceptedAsNlohmannDid) {
  EXPECT_EQ(Decode("\xEF\xBB\xBF" + Header("")).opaque, 2);
  EXPECT_EQ(Decode(Header("") + std::string("\0junk", 5)).opaque, 2);
  EXPECT_THAT(DecodeError(std::string("\0", 1)), HasSubstr("not valid JSON"));
  EXPECT_THAT(DecodeError(std::string(R"({"code":1,)") + '\0' + R"("opaque":2})"),
              HasSubstr("not valid JSON"));
}

TEST(JsonHeaderTest, RepeatedKeysKeepTheLastValue) {
  RemotingCommand cmd = Decode(
      R"({"code":"x","code":1,"opaque":2,"remark":5,"remark":"b","language":[],"language":"GO",)"
      R"("extFields":"bad","extFields":{"a":"1","a":"2","n":[1],"n":"ok","z":"gone","z":null}})");
  EXPECT_EQ(cmd.code, 1);
  EXPECT_EQ(cmd.remark, "b");
  EXPECT_EQ(cmd.language, LanguageCode::kGo);
  EXPECT_EQ(cmd.ext_fields, (ExtFields{{"a", "2"}, {"n", "ok"}}));
  // A later extFields replaces the whole earlier one, bad values included.
  cmd = Decode(Header(R"("extFields":{"a":"1","b":{}},"extFields":{"c":"3"})"));
  EXPECT_EQ(cmd.ext_fields, (ExtFields{{"c", "3"}}));
  EXPECT_THAT(DecodeError(R"({"code":1,"opaque":2,"code":"again"})"),
              HasSubstr("code must be an integer, got string"));
  EXPECT_THAT(DecodeError(Header(R"("extFields":{"c":"3"},"extFields":7)")),
              HasSubstr("extFields must be an object, got number"));
}

TEST(JsonHeaderTest, ExtFieldsErrorNamesTheFirstBadKeyInKeyOrder) {
  EXPECT_THAT(DecodeError(Header(R"("extFields":{"z":[1],"b":{},"a":null})")),
              HasSubstr("extFields value of key \"b\" must be a string, number or boolean, got "
                        "object"));
  EXPECT_EQ(Decode(Header(R"("extFields":null)")).ext_fields, ExtFields());
  EXPECT_EQ(Decode(Header(R"("extFields":{})")).ext_fields, ExtFields());
}

// --- Decoding numbers ----------------------------------------------------------------------------

TEST(JsonHeaderTest, IntegersAtTheInt32Limits) {
  RemotingCommand cmd =
      Decode(R"({"code":2147483647,"opaque":-2147483648,"version":-0,"flag":0,"language":13})");
  EXPECT_EQ(cmd.code, 2147483647);
  EXPECT_EQ(cmd.opaque, -2147483647 - 1);
  EXPECT_EQ(cmd.version, 0);
  EXPECT_EQ(cmd.language, LanguageCode::kNodeJs);
  EXPECT_THAT(DecodeError(R"({"code":2147483648,"opaque":1})"),
              HasSubstr("code 2147483648 is outside the int range"));
  EXPECT_THAT(DecodeError(R"({"code":1,"opaque":1,"version":-2147483649})"),
              HasSubstr("version -2147483649 is outside the int range"));
  EXPECT_THAT(DecodeError(R"({"code":1,"opaque":1,"flag":18446744073709551615})"),
              HasSubstr("flag 18446744073709551615 is outside the int range"));
  EXPECT_THAT(DecodeError(R"({"code":1,"opaque":1,"flag":-9223372036854775808})"),
              HasSubstr("flag -9223372036854775808 is outside the int range"));
}

TEST(JsonHeaderTest, FractionsAndHugeNumbersAreNotIntegers) {
  EXPECT_THAT(DecodeError(R"({"code":1.0,"opaque":1})"),
              HasSubstr("code must be an integer, got a fraction 1.0"));
  EXPECT_THAT(DecodeError(R"({"code":1e2,"opaque":1})"),
              HasSubstr("code must be an integer, got a fraction 100.0"));
  EXPECT_THAT(DecodeError(R"({"code":-1.5E-1,"opaque":1})"),
              HasSubstr("code must be an integer, got a fraction -0.15"));
  EXPECT_THAT(DecodeError(R"({"code":18446744073709551616,"opaque":1})"),
              HasSubstr("code must be an integer, got a fraction 1.8446744073709552e+19"));
  EXPECT_THAT(DecodeError(R"({"code":1e400,"opaque":1})"), HasSubstr("not valid JSON"));
  EXPECT_THAT(DecodeError(R"({"x":-1e400,"code":1,"opaque":1})"), HasSubstr("not valid JSON"));
  EXPECT_EQ(Decode(R"({"x":1e-400,"code":1,"opaque":1})").code, 1);  // underflow is 0
}

TEST(JsonHeaderTest, RefusesNumbersOutsideTheGrammar) {
  for (std::string_view number : {"01", "-01", "+1", "-", "1.", ".5", "1e", "1e+", "0x10", "- 1",
                                  "Infinity", "NaN", "1.5.2", "--1"}) {
    std::string header = Header("\"flag\":" + std::string(number));
    EXPECT_THAT(DecodeError(header), HasSubstr("not valid JSON")) << header;
  }
}

TEST(JsonHeaderTest, ExtFieldsNumbersAndBooleansBecomeTheirOldText) {
  RemotingCommand cmd = Decode(
      Header(R"("extFields":{"a":42,"b":-1,"c":true,"d":false,"e":1.5,"f":1e2,"g":-0,"h":)"
             R"(18446744073709551615,"i":-9223372036854775808,"j":18446744073709551616,"k":0.1})"));
  EXPECT_EQ(cmd.ext_fields, (ExtFields{{"a", "42"},
                                       {"b", "-1"},
                                       {"c", "true"},
                                       {"d", "false"},
                                       {"e", "1.5"},
                                       {"f", "100.0"},
                                       {"g", "0"},
                                       {"h", "18446744073709551615"},
                                       {"i", "-9223372036854775808"},
                                       {"j", "1.8446744073709552e+19"},
                                       {"k", "0.1"}}));
}

// --- Truncation ----------------------------------------------------------------------------------

TEST(JsonHeaderTest, EveryTruncationOfAValidHeaderIsCorruption) {
  RemotingCommand cmd;
  cmd.code = 310;
  cmd.opaque = -5;
  cmd.version = 453;
  cmd.remark = "tab\t quote\" \xE4\xB8\xAD \xF0\x9F\x98\x80 \x01";
  cmd.SetExtField("topic", "TopicTest");
  cmd.SetExtField("properties",
                  "UNIQ_KEY\x01"
                  "7F00\x02TAGS\x01TagA\x02");
  const std::string headers[] = {
      EncodeJsonHeader(cmd),
      R"( {"x":[{"a":[1,-2.5e-3,true,false,null,"\ud83d\ude00\u00e9\n"]}],)"
      R"("code":1,"opaque":-2147483648,"extFields":{"n":12,"b":true,"f":1.25,"z":null}} )"};
  for (const std::string& header : headers) {
    ASSERT_TRUE(DecodeJsonHeader(header).ok()) << header;
    for (size_t length = 0; length < header.size(); ++length) {
      // A copy of exactly `length` bytes, so that a read past the end is a heap overflow that a
      // sanitizer build reports.
      auto bytes = std::make_unique<char[]>(length);
      header.copy(bytes.get(), length);
      auto decoded = DecodeJsonHeader(std::string_view(bytes.get(), length));
      bool trailing_space = length == header.size() - 1 && header.back() == ' ';
      if (trailing_space) {
        EXPECT_TRUE(decoded.ok());
        continue;
      }
      ASSERT_FALSE(decoded.ok()) << length << ": " << header.substr(0, length);
      EXPECT_TRUE(decoded.status().IsCorruption());
      EXPECT_THAT(decoded.status().message(), HasSubstr("JSON header")) << length;
    }
  }
}

}  // namespace
}  // namespace holdfast::remoting
