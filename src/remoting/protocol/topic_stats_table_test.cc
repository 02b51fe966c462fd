#include "remoting/protocol/topic_stats_table.h"

#include <gtest/gtest.h>

#include "remoting/protocol/consume_stats.h"

namespace holdfast::protocol {
namespace {

const MessageQueue kQ0{"T", "b", 0};
const MessageQueue kQ1{"T", "b", 1};

TEST(TopicStatsTableTest, WritesRawMessageQueueKeysAndRoundTrips) {
  TopicStatsTable table;
  table.offset_table[kQ1] =
      TopicOffset{.min_offset = 0, .max_offset = 7, .last_update_timestamp = 5};
  table.offset_table[kQ0] =
      TopicOffset{.min_offset = 1, .max_offset = 3, .last_update_timestamp = 0};
  const std::string body = EncodeTopicStatsTable(table);
  EXPECT_EQ(
      body,
      R"({"offsetTable":{{"brokerName":"b","queueId":0,"topic":"T"}:{"lastUpdateTimestamp":0,)"
      R"("maxOffset":3,"minOffset":1},{"brokerName":"b","queueId":1,"topic":"T"}:)"
      R"({"lastUpdateTimestamp":5,"maxOffset":7,"minOffset":0}}})");
  Result<TopicStatsTable> back = DecodeTopicStatsTable(body);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, table);
  EXPECT_TRUE(DecodeTopicStatsTable(R"({"offsetTable":{}})").ok());
}

TEST(TopicStatsTableTest, RejectsWhatIsNotATable) {
  EXPECT_TRUE(DecodeTopicStatsTable("not json").status().IsCorruption());
  EXPECT_TRUE(DecodeTopicStatsTable(R"({"other":1})").status().IsCorruption());
  Result<TopicStatsTable> bad_key = DecodeTopicStatsTable(R"({"offsetTable":{{"topic":"T"}:{}}})");
  ASSERT_TRUE(bad_key.status().IsCorruption());
  EXPECT_NE(bad_key.status().message().find("not a MessageQueue"), std::string::npos);
}

TEST(ConsumeStatsTest, RoundTrips) {
  ConsumeStats stats;
  stats.offset_table[kQ0] =
      OffsetWrapper{.broker_offset = 10, .consumer_offset = 4, .last_timestamp = 1700000000000};
  stats.offset_table[kQ1] =
      OffsetWrapper{.broker_offset = 2, .consumer_offset = 2, .last_timestamp = 0};
  Result<ConsumeStats> back = DecodeConsumeStats(EncodeConsumeStats(stats));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, stats);
  // A Java broker adds consumeTps; it is not read.
  EXPECT_TRUE(DecodeConsumeStats(R"({"consumeTps":0.0,"offsetTable":{}})").ok());
}

}  // namespace
}  // namespace holdfast::protocol
