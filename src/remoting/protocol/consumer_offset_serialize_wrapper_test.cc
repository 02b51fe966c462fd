#include "remoting/protocol/consumer_offset_serialize_wrapper.h"

#include <gtest/gtest.h>

namespace holdfast::protocol {
namespace {

TEST(ConsumerOffsetSerializeWrapperTest, WritesFastjsonsShapeAndRoundTrips) {
  ConsumerOffsetSerializeWrapper w;
  EXPECT_EQ(EncodeConsumerOffsetSerializeWrapper(w), "{\n\t\"offsetTable\":{}\n}");
  w.offset_table["TopicA@GroupA"] = {{0, 123}, {1, 456}, {10, 9}};
  w.offset_table["%RETRY%GroupA@GroupA"] = {{0, 0}};
  const std::string text = EncodeConsumerOffsetSerializeWrapper(w);
  EXPECT_EQ(text,
            "{\n"
            "\t\"offsetTable\":{\n"
            "\t\t\"%RETRY%GroupA@GroupA\":{0:0},\n"
            "\t\t\"TopicA@GroupA\":{0:123,1:456,10:9}\n"
            "\t}\n"
            "}");
  Result<ConsumerOffsetSerializeWrapper> back = DecodeConsumerOffsetSerializeWrapper(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, w);
}

TEST(ConsumerOffsetSerializeWrapperTest, DecodesUnquotedAndQuotedForms) {
  const char* fastjson =
      "{\n\t\"offsetTable\":{\n\t\t\"T@G\":{0:5,1:6\n\t\t},\n\t\t\"a:{1:2}@G\":{ 3 : 7 }\n\t}\n}";
  auto table = DecodeConsumerOffsetSerializeWrapper(fastjson);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->offset_table.at("T@G").at(0), 5);
  EXPECT_EQ(table->offset_table.at("T@G").at(1), 6);
  EXPECT_EQ(table->offset_table.at("a:{1:2}@G").at(3), 7);  // braces inside a string are not keys

  auto quoted = DecodeConsumerOffsetSerializeWrapper(
      R"({"dataVersion":{"counter":1,"timestamp":2},"offsetTable":{"T@G":{"0":5,"-1":7}}})");
  ASSERT_TRUE(quoted.ok()) << quoted.status().ToString();
  EXPECT_EQ(quoted->offset_table.at("T@G").at(0), 5);
  EXPECT_EQ(quoted->offset_table.at("T@G").at(-1), 7);

  EXPECT_TRUE(DecodeConsumerOffsetSerializeWrapper("{}").ok());
  EXPECT_TRUE(DecodeConsumerOffsetSerializeWrapper(R"({"offsetTable":{"T@G":{"x":1}}})")
                  .status()
                  .IsCorruption());
  EXPECT_TRUE(DecodeConsumerOffsetSerializeWrapper(R"({"offsetTable":{"T@G":{0:"1"}}})")
                  .status()
                  .IsCorruption());
  EXPECT_TRUE(DecodeConsumerOffsetSerializeWrapper("{\"offsetTable\":{").status().IsCorruption());
}

}  // namespace
}  // namespace holdfast::protocol
