#include "remoting/protocol/message_batch.h"

#include <gtest/gtest.h>

namespace holdfast::protocol {
namespace {

TEST(MessageBatchTest, RoundTripsAsMessageDecoderEncodesIt) {
  const std::vector<BatchMessage> batch = {{.flag = 1, .body = "abc", .properties = "K\x01V\x02"},
                                           {.flag = 0, .body = "", .properties = ""}};
  const std::string body = EncodeBatchBody(batch);
  // TOTALSIZE 29 | MAGICCODE 0 | BODYCRC 0 | FLAG 1 | BODYLEN 3 | "abc" | PROPLEN 4 | "K\1V\2"
  EXPECT_EQ(body.substr(0, 29), std::string("\0\0\0\x1d\0\0\0\0\0\0\0\0\0\0\0\x01\0\0\0\x03", 20) +
                                    "abc" + std::string("\0\x04", 2) + "K\x01V\x02");
  Result<std::vector<BatchMessage>> back = DecodeBatchBody(body);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, batch);
}

TEST(MessageBatchTest, BadLengthsAreRefused) {
  std::string body = EncodeBatchBody({{.flag = 1, .body = "abc", .properties = "K\x01V\x02"}});
  EXPECT_FALSE(DecodeBatchBody(body.substr(0, body.size() - 1)).ok());
  std::string bad = body;
  bad[19] = 100;  // BODYLEN past TOTALSIZE
  EXPECT_EQ(DecodeBatchBody(bad).status().code(), Status::Code::kInvalidArgument);
  bad = body;
  bad[3] = 5;  // TOTALSIZE below the fixed part
  EXPECT_FALSE(DecodeBatchBody(bad).ok());
}

}  // namespace
}  // namespace holdfast::protocol
