#include "remoting/utf8.h"

#include <gtest/gtest.h>

namespace holdfast::remoting {
namespace {

// n replacement characters (U+FFFD).
std::string Fffd(int n = 1) {
  std::string out;
  for (int i = 0; i < n; ++i) out += "\xEF\xBF\xBD";
  return out;
}

TEST(Utf8Test, ValidTextIsUnchanged) {
  for (const std::string& s :
       {std::string(""), std::string("plain"), std::string("\xC3\xA9t\xC3\xA9"),
        std::string("\xE4\xB8\xAD\xE6\x96\x87"), std::string("\xF0\x9F\x98\x80"),
        std::string("nul\0inside", 10), std::string("\xF4\x8F\xBF\xBF")}) {
    EXPECT_EQ(ToValidUtf8(s), s);
  }
}

TEST(Utf8Test, IllFormedSequencesBecomeReplacementCharacters) {
  EXPECT_EQ(ToValidUtf8(std::string("a\xFF") + "b"), "a" + Fffd() + "b");
  EXPECT_EQ(ToValidUtf8("\xC0\xAF"), Fffd(2));          // overlong lead
  EXPECT_EQ(ToValidUtf8("\xE0\x80\x80"), Fffd(3));      // overlong
  EXPECT_EQ(ToValidUtf8("\xED\xA0\x80"), Fffd(3));      // surrogate
  EXPECT_EQ(ToValidUtf8("\xF4\x90\x80\x80"), Fffd(4));  // > U+10FFFF
  EXPECT_EQ(ToValidUtf8("\xE4\xB8"), Fffd());           // truncated: one maximal subpart
  EXPECT_EQ(ToValidUtf8("\xE4\xB8x"), Fffd() + "x");
  EXPECT_EQ(ToValidUtf8("\x80"), Fffd());
}

TEST(Utf8Test, WellFormedLengthIsTheLengthOfTheFirstSequence) {
  EXPECT_EQ(WellFormedUtf8Length(""), 0u);
  EXPECT_EQ(WellFormedUtf8Length(std::string("\0", 1)), 1u);
  EXPECT_EQ(WellFormedUtf8Length("ab"), 1u);
  EXPECT_EQ(WellFormedUtf8Length("\xC3\xA9z"), 2u);
  EXPECT_EQ(WellFormedUtf8Length("\xE4\xB8\xAD"), 3u);
  EXPECT_EQ(WellFormedUtf8Length("\xF4\x8F\xBF\xBF"), 4u);
  for (std::string_view bad : {"\x80", "\xC0\xAF", "\xE0\x80\x80", "\xED\xA0\x80",
                               "\xF4\x90\x80\x80", "\xE4\xB8", "\xF0\x9F\x98", "\xFF"}) {
    EXPECT_EQ(WellFormedUtf8Length(bad), 0u) << bad;
  }
}

}  // namespace
}  // namespace holdfast::remoting
