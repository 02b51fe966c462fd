#include "remoting/protocol/fastjson_keys.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace holdfast::protocol {
namespace {

TEST(QuoteNonStringKeysTest, BareIntegerAndObjectKeysBecomeStrings) {
  auto quoted = QuoteNonStringKeys(R"({"brokerAddrs":{0:"1.2.3.4:10911", 1 :"x"}})");
  ASSERT_TRUE(quoted.ok()) << quoted.status().ToString();
  auto j = nlohmann::json::parse(*quoted);
  EXPECT_EQ(j["brokerAddrs"]["0"], "1.2.3.4:10911");
  EXPECT_EQ(j["brokerAddrs"]["1"], "x");

  quoted = QuoteNonStringKeys(R"({{"a":"}:{,","b":[1,{"c":2}]}:{"v":1}})");
  ASSERT_TRUE(quoted.ok()) << quoted.status().ToString();
  j = nlohmann::json::parse(*quoted);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j.begin().key(), R"({"a":"}:{,","b":[1,{"c":2}]})");
  EXPECT_EQ(j.begin().value()["v"], 1);
}

TEST(QuoteNonStringKeysTest, StandardJsonPassesThroughUnchanged) {
  const std::string text = R"({"a":[{"b":"x,{y}"},2],"c":{"d":"\"q\""},"e":{}})";
  auto quoted = QuoteNonStringKeys(text);
  ASSERT_TRUE(quoted.ok());
  EXPECT_EQ(*quoted, text);
}

TEST(QuoteNonStringKeysTest, LeavesValuesArraysAndStringsAlone) {
  // consumerOffset.json's queue ids, a key with a space before its colon, and text that looks
  // like a key inside a string.
  auto quoted = QuoteNonStringKeys(R"({0:1, 2 :[3,4],"s":"{5:6}",-1:7})");
  ASSERT_TRUE(quoted.ok()) << quoted.status().ToString();
  EXPECT_EQ(*quoted, R"({"0":1, "2" :[3,4],"s":"{5:6}","-1":7})");
}

TEST(QuoteNonStringKeysTest, UnclosedKeyOrStringIsCorruption) {
  EXPECT_TRUE(QuoteNonStringKeys(R"({{"a":1)").status().IsCorruption());
  EXPECT_TRUE(QuoteNonStringKeys(R"({"a":"open})").status().IsCorruption());
}

// Found by protocol_body_fuzzer: a bare key that is not UTF-8 threw from the JSON dump.
TEST(QuoteNonStringKeysTest, BareKeyThatIsNotUtf8IsCorruption) {
  Result<std::string> quoted = QuoteNonStringKeys("{\xF2\xF2:1}");
  ASSERT_TRUE(quoted.status().IsCorruption());
  EXPECT_NE(quoted.status().message().find("UTF-8"), std::string::npos);
  // Well-formed UTF-8 in a bare key is kept as it is.
  Result<std::string> kept = QuoteNonStringKeys("{\xC3\xA9:1}");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(*kept, "{\"\xC3\xA9\":1}");
}

}  // namespace
}  // namespace holdfast::protocol
