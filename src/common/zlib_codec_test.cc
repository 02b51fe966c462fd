#include "common/zlib_codec.h"

#include <gtest/gtest.h>

namespace holdfast {
namespace {

TEST(ZlibCodecTest, RoundTripsWithTheZlibHeader) {
  std::string plain;
  for (int i = 0; i < 1000; ++i) plain += "row " + std::to_string(i) + ";";
  Result<std::string> packed = ZlibCompress(plain, 5);
  ASSERT_TRUE(packed.ok());
  EXPECT_LT(packed->size(), plain.size());
  EXPECT_EQ(static_cast<unsigned char>((*packed)[0]), 0x78);  // zlib header, as Java's Deflater
  Result<std::string> back = ZlibUncompress(*packed, plain.size());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, plain);
}

TEST(ZlibCodecTest, GarbageTruncationAndBombsAreCorruption) {
  Result<std::string> packed = ZlibCompress(std::string(100000, 'a'), 5);
  ASSERT_TRUE(packed.ok());
  EXPECT_TRUE(ZlibUncompress("not zlib", 1000).status().IsCorruption());
  EXPECT_TRUE(
      ZlibUncompress(packed->substr(0, packed->size() / 2), 1 << 20).status().IsCorruption());
  Result<std::string> bomb = ZlibUncompress(*packed, 1000);
  ASSERT_TRUE(bomb.status().IsCorruption());
  EXPECT_NE(bomb.status().message().find("beyond 1000"), std::string::npos);
}

}  // namespace
}  // namespace holdfast
