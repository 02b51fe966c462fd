#include "client/pull_result.h"

#include <gtest/gtest.h>

#include "common/message_codec.h"
#include "common/message_id.h"
#include "common/zlib_codec.h"

namespace holdfast::client {
namespace {

MessageExt Stored(const std::string& body, const PropertyMap& props, int64_t offset,
                  int32_t sys_flag = 0) {
  MessageExt m;
  m.topic = "T";
  m.queue_id = 2;
  m.flag = 7;
  m.queue_offset = offset;
  m.commit_log_offset = 1000 + offset;
  m.sys_flag = sys_flag;
  m.born_timestamp = 111;
  m.born_host = HostAddress::Ipv4(10, 0, 0, 1, 5555);
  m.store_timestamp = 222;
  m.store_host = HostAddress::Ipv4(10, 0, 0, 2, 10911);
  m.reconsume_times = 1;
  m.body = body;
  m.properties = EncodeProperties(props);
  return m;
}

TEST(PullResultTest, DecodesRecordsWithIdsTagsKeysAndProperties) {
  std::string buf;
  ASSERT_TRUE(
      EncodeStoredRecord(
          Stored("hello", {{"UNIQ_KEY", "ABC"}, {"TAGS", "TagA"}, {"KEYS", "k1 k2"}, {"user", "v"}},
                 5),
          &buf)
          .ok());
  ASSERT_TRUE(EncodeStoredRecord(Stored("world", {{"TAGS", "TagB"}}, 6), &buf).ok());
  Result<std::vector<MQMessageExt>> msgs = DecodeMessages(buf, "broker-a");
  ASSERT_TRUE(msgs.ok()) << msgs.status().ToString();
  ASSERT_EQ(msgs->size(), 2u);
  const MQMessageExt& a = (*msgs)[0];
  EXPECT_EQ(a.topic, "T");
  EXPECT_EQ(a.body, "hello");
  EXPECT_EQ(a.tags, "TagA");
  EXPECT_EQ(a.keys, (std::vector<std::string>{"k1", "k2"}));
  EXPECT_EQ(a.properties.at("user"), "v");
  EXPECT_EQ(a.msg_id, "ABC");
  EXPECT_EQ(a.offset_msg_id, CreateOffsetMsgId(HostAddress::Ipv4(10, 0, 0, 2, 10911), 1005));
  EXPECT_EQ(a.broker_name, "broker-a");
  EXPECT_EQ(a.queue_id, 2);
  EXPECT_EQ(a.queue_offset, 5);
  EXPECT_EQ(a.commit_log_offset, 1005);
  EXPECT_EQ(a.flag, 7);
  EXPECT_EQ(a.born_timestamp, 111);
  EXPECT_EQ(a.store_timestamp, 222);
  EXPECT_EQ(a.born_host, "10.0.0.1:5555");
  EXPECT_EQ(a.store_host, "10.0.0.2:10911");
  EXPECT_EQ(a.reconsume_times, 1);
  const MQMessageExt& b = (*msgs)[1];
  EXPECT_EQ(b.body, "world");
  EXPECT_EQ(b.msg_id, b.offset_msg_id);  // no UNIQ_KEY
  EXPECT_EQ(b.queue_offset, 6);
}

TEST(PullResultTest, CompressedBodiesAreInflated) {
  std::string plain(10000, 'x');
  std::string buf;
  ASSERT_TRUE(
      EncodeStoredRecord(Stored(*ZlibCompress(plain, 5), {}, 0, sysflag::kCompressed), &buf).ok());
  Result<std::vector<MQMessageExt>> msgs = DecodeMessages(buf, "b");
  ASSERT_TRUE(msgs.ok()) << msgs.status().ToString();
  EXPECT_EQ((*msgs)[0].body, plain);
}

TEST(PullResultTest, BadBytesAreCorruptionNamingTheOffset) {
  std::string buf;
  ASSERT_TRUE(EncodeStoredRecord(Stored("a", {}, 0), &buf).ok());
  size_t first = buf.size();
  buf += "garbage-garbage-garbage";
  Result<std::vector<MQMessageExt>> msgs = DecodeMessages(buf, "b");
  ASSERT_TRUE(msgs.status().IsCorruption());
  EXPECT_NE(msgs.status().message().find("at byte " + std::to_string(first)), std::string::npos);

  std::string bad;
  ASSERT_TRUE(EncodeStoredRecord(Stored("not zlib", {}, 0, sysflag::kCompressed), &bad).ok());
  EXPECT_TRUE(DecodeMessages(bad, "b").status().IsCorruption());
}

TEST(PullResultTest, StatusNames) {
  EXPECT_STREQ(PullStatusName(PullStatus::kFound), "FOUND");
  EXPECT_STREQ(PullStatusName(PullStatus::kOffsetIllegal), "OFFSET_ILLEGAL");
}

}  // namespace
}  // namespace holdfast::client
