#include "tools/admin/fastjson_keys.h"

#include <gtest/gtest.h>

namespace holdfast::tools::admin {
namespace {

TEST(DecodeOffsetTableTest, ReadsMessageQueueKeysAsTheBrokerWritesThem) {
  const std::string body =
      R"({"offsetTable":{{"brokerName":"b","queueId":1,"topic":"T"}:{"maxOffset":7,"minOffset":0},)"
      R"({"brokerName":"b","queueId":0,"topic":"T"}:{"maxOffset":3,"minOffset":1}}})";
  auto table = DecodeOffsetTable(body);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->size(), 2u);
  for (const MessageQueueEntry& e : *table) {
    EXPECT_EQ(e.mq.topic, "T");
    EXPECT_EQ(e.mq.broker_name, "b");
    EXPECT_EQ(e.value["maxOffset"], e.mq.queue_id == 0 ? 3 : 7);
  }
  EXPECT_TRUE(DecodeOffsetTable(R"({"offsetTable":{}})").ok());
}

TEST(DecodeOffsetTableTest, RejectsWhatIsNotATable) {
  EXPECT_TRUE(DecodeOffsetTable("not json").status().IsCorruption());
  EXPECT_TRUE(DecodeOffsetTable(R"({"other":1})").status().IsCorruption());
  auto bad_key = DecodeOffsetTable(R"({"offsetTable":{{"topic":"T"}:{}}})");
  EXPECT_TRUE(bad_key.status().IsCorruption());
  EXPECT_NE(bad_key.status().message().find("not a MessageQueue"), std::string::npos);
}

}  // namespace
}  // namespace holdfast::tools::admin
