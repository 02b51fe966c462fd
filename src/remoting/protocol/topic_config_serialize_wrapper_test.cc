#include "remoting/protocol/topic_config_serialize_wrapper.h"

#include <gtest/gtest.h>

namespace holdfast::protocol {
namespace {

TopicConfigSerializeWrapper Sample() {
  TopicConfigSerializeWrapper w;
  w.topic_config_table["TopicA"] = TopicConfig("TopicA", 4, 4, kPermRead | kPermWrite);
  TopicConfig ordered("TopicB", 2, 2, kPermRead);
  ordered.order = true;
  ordered.topic_sys_flag = 1;
  w.topic_config_table["TopicB"] = ordered;
  w.data_version = DataVersion{.counter = 3, .state_version = 0, .timestamp = 1700000000000};
  return w;
}

TEST(TopicConfigSerializeWrapperTest, RoundTripsCompactAndPretty) {
  for (bool pretty : {false, true}) {
    const std::string text = EncodeTopicConfigSerializeWrapper(Sample(), pretty);
    EXPECT_EQ(text.find('\t') != std::string::npos, pretty) << text;
    Result<TopicConfigSerializeWrapper> back = DecodeTopicConfigSerializeWrapper(text);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, Sample());
  }
}

TEST(TopicConfigSerializeWrapperTest, ReadsWhatA4xBrokerWrites) {
  // topics.json of RocketMQ 4.9: no attributes, no stateVersion, a config without topicName.
  Result<TopicConfigSerializeWrapper> w = DecodeTopicConfigSerializeWrapper(R"({
	"dataVersion":{"counter":2,"timestamp":1700000000000},
	"topicConfigTable":{"TopicA":{"order":false,"perm":6,"readQueueNums":8,
		"topicFilterType":"SINGLE_TAG","topicSysFlag":0,"writeQueueNums":8}}})");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_EQ(w->topic_config_table.size(), 1u);
  EXPECT_EQ(w->topic_config_table.at("TopicA").topic_name, "TopicA");
  EXPECT_EQ(w->topic_config_table.at("TopicA").read_queue_nums, 8);
  EXPECT_EQ(w->data_version->counter, 2);
}

TEST(TopicConfigSerializeWrapperTest, NoDataVersionStaysAbsentAndBadInputIsCorruption) {
  Result<TopicConfigSerializeWrapper> w = DecodeTopicConfigSerializeWrapper("{}");
  ASSERT_TRUE(w.ok());
  EXPECT_FALSE(w->data_version.has_value());
  EXPECT_TRUE(DecodeTopicConfigSerializeWrapper("[]").status().IsCorruption());
  EXPECT_TRUE(
      DecodeTopicConfigSerializeWrapper(R"({"topicConfigTable":[]})").status().IsCorruption());
  Result<TopicConfigSerializeWrapper> bad =
      DecodeTopicConfigSerializeWrapper(R"({"topicConfigTable":{"T":{"perm":"x"}}})");
  ASSERT_TRUE(bad.status().IsCorruption());
  EXPECT_NE(bad.status().message().find("perm"), std::string::npos) << bad.status().message();
}

}  // namespace
}  // namespace holdfast::protocol
