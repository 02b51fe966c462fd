#include "common/message_codec.h"

#include <gtest/gtest.h>

#include "common/byte_order.h"
#include "common/crc32.h"
#include "common/java_hash.h"

namespace holdfast {
namespace {

MessageExt SampleMessage() {
  MessageExt m;
  m.topic = "TopicTest";
  m.queue_id = 3;
  m.flag = 7;
  m.queue_offset = 42;
  m.commit_log_offset = 1 << 20;
  m.sys_flag = 0;
  m.born_timestamp = 1700000000000;
  m.born_host = HostAddress::Ipv4(10, 0, 0, 1, 5555);
  m.store_timestamp = 1700000000123;
  m.store_host = HostAddress::Ipv4(127, 0, 0, 1, 10911);
  m.reconsume_times = 2;
  m.prepared_transaction_offset = 0;
  m.body = "hello world";
  m.properties = EncodeProperties({{"TAGS", "TagA"}, {"KEYS", "k1 k2"}, {"UNIQ_KEY", "ABC"}});
  return m;
}

TEST(MessageCodecTest, RoundTripKeepsEveryField) {
  MessageExt m = SampleMessage();
  std::string buf;
  ASSERT_TRUE(EncodeStoredRecord(m, &buf).ok());
  ASSERT_EQ(static_cast<int64_t>(buf.size()),
            91 + static_cast<int64_t>(m.body.size() + m.topic.size() + m.properties.size()));
  auto view = DecodeStoredRecord(buf, true);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  MessageExt back = view->ToMessageExt();
  m.body_crc = BodyCrc(m.body);
  m.store_size = static_cast<int32_t>(buf.size());
  EXPECT_EQ(back, m);
  EXPECT_EQ(view->magic, kMessageMagicCodeV1);
}

TEST(MessageCodecTest, FieldsSitAtRocketMqPositions) {
  MessageExt m = SampleMessage();
  std::string buf;
  ASSERT_TRUE(EncodeStoredRecord(m, &buf).ok());
  EXPECT_EQ(GetInt32(buf.data()), static_cast<int32_t>(buf.size()));
  EXPECT_EQ(static_cast<uint32_t>(GetInt32(buf.data() + 4)), 0xDAA320A7u);
  EXPECT_EQ(GetInt64(buf.data() + kRecordQueueOffsetPos), 42);
  EXPECT_EQ(GetInt64(buf.data() + kRecordPhysicalOffsetPos), 1 << 20);
  EXPECT_EQ(GetInt64(buf.data() + RecordStoreTimestampPos(0)), 1700000000123);
  EXPECT_EQ(RecordStoreTimestampPos(0), 56u);
}

TEST(MessageCodecTest, Ipv6HostsSetSysFlagBitsAndRoundTrip) {
  MessageExt m = SampleMessage();
  m.born_host.ipv6 = true;
  m.born_host.ip[15] = 1;
  m.store_host.ipv6 = true;
  m.store_host.ip[0] = 0xfe;
  std::string buf;
  ASSERT_TRUE(EncodeStoredRecord(m, &buf).ok());
  auto view = DecodeStoredRecord(buf, true);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->sys_flag & (sysflag::kBornHostV6 | sysflag::kStoreHostV6),
            sysflag::kBornHostV6 | sysflag::kStoreHostV6);
  EXPECT_EQ(view->born_host, m.born_host);
  EXPECT_EQ(view->store_host, m.store_host);
  EXPECT_EQ(view->body, m.body);
}

TEST(MessageCodecTest, LongTopicUsesMagicV2WithShortLength) {
  MessageExt m = SampleMessage();
  m.topic = std::string(200, 't');
  std::string buf;
  ASSERT_TRUE(EncodeStoredRecord(m, &buf).ok());
  auto view = DecodeStoredRecord(buf, true);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->magic, kMessageMagicCodeV2);
  EXPECT_EQ(view->topic, m.topic);
}

TEST(MessageCodecTest, CorruptBodyFailsCrcCheck) {
  std::string buf;
  ASSERT_TRUE(EncodeStoredRecord(SampleMessage(), &buf).ok());
  buf[88] ^= 0x20;  // first body byte
  auto view = DecodeStoredRecord(buf, true);
  ASSERT_FALSE(view.ok());
  EXPECT_NE(view.status().message().find("CRC"), std::string::npos);
  EXPECT_TRUE(DecodeStoredRecord(buf, false).ok());
}

TEST(MessageCodecTest, TruncatedOrInflatedRecordsAreCorruption) {
  std::string buf;
  ASSERT_TRUE(EncodeStoredRecord(SampleMessage(), &buf).ok());
  for (size_t cut : {0ul, 3ul, 8ul, 50ul, buf.size() - 1}) {
    EXPECT_FALSE(DecodeStoredRecord(std::string_view(buf).substr(0, cut), true).ok()) << cut;
  }
  std::string bad = buf;
  PutBigEndian32(bad.data(), static_cast<uint32_t>(buf.size() + 10));
  bad.append(10, '\0');
  auto view = DecodeStoredRecord(bad, true);
  ASSERT_FALSE(view.ok());
  EXPECT_NE(view.status().message().find("disagrees"), std::string::npos);
}

TEST(MessageCodecTest, OversizeFieldsAreRejectedByName) {
  MessageExt m = SampleMessage();
  m.properties = std::string(kMaxPropertiesLength + 1, 'x');
  std::string buf;
  Status s = EncodeStoredRecord(m, &buf);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("properties"), std::string::npos);
}

TEST(PropertiesTest, EncodeDecodeAndFind) {
  std::string enc = EncodeProperties({{"KEYS", "a b"}, {"TAGS", "x"}, {"EMPTY", ""}});
  EXPECT_EQ(enc, std::string("KEYS\x01"
                             "a b\x02TAGS\x01x\x02"));
  PropertyMap back = DecodeProperties(enc);
  EXPECT_EQ(back.size(), 2u);
  EXPECT_EQ(back["KEYS"], "a b");
  EXPECT_EQ(FindProperty(enc, "TAGS"), std::optional<std::string_view>("x"));
  EXPECT_FALSE(FindProperty(enc, "NOPE").has_value());
  EXPECT_TRUE(DecodeProperties("garbage\x02\x01v\x02k\x01\x02").empty());
}

TEST(JavaHashTest, MatchesJavaStringHashCode) {
  // Values computed by java.lang.String#hashCode.
  EXPECT_EQ(JavaStringHashCode(""), 0);
  EXPECT_EQ(JavaStringHashCode("TagA"), 2598919);
  EXPECT_EQ(JavaStringHashCode("hello"), 99162322);
  EXPECT_EQ(JavaStringHashCode("TopicTest#key-1"), 204089217);
  EXPECT_EQ(JavaStringHashCode("\xC3\xA9"), 233);              // é, one UTF-16 unit
  EXPECT_EQ(JavaStringHashCode("\xF0\x9F\x98\x80"), 1772899);  // U+1F600, a surrogate pair
}

TEST(Crc32Test, MatchesJavaUtilZipCrc32) {
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(BodyCrc("123456789"), 0x4BF43926);
}

}  // namespace
}  // namespace holdfast
