#include "remoting/protocol/register_broker_body.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace holdfast::protocol {
namespace {

RegisterBrokerBody Sample() {
  RegisterBrokerBody body;
  TopicConfig fifo("TopicB", 8, 2, 7);
  fifo.topic_filter_type = TopicFilterType::kMultiTag;
  fifo.attributes["+message.type"] = "FIFO";
  body.topic_config_serialize_wrapper.topic_config_table["TopicA"] = TopicConfig("TopicA", 4, 4, 6);
  body.topic_config_serialize_wrapper.topic_config_table["TopicB"] = fifo;
  body.topic_config_serialize_wrapper.data_version =
      DataVersion{.counter = 5, .state_version = 0, .timestamp = 9};
  body.filter_server_list = {"10.0.0.1:30000"};
  return body;
}

TEST(RegisterBrokerBodyTest, JsonRoundTrips) {
  Result<RegisterBrokerBody> back = DecodeRegisterBrokerBody(EncodeRegisterBrokerBody(Sample()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, Sample());
}

TEST(RegisterBrokerBodyTest, CompressedRoundTripsWhatTheTextFormHolds) {
  Result<std::string> packed = EncodeCompressedRegisterBrokerBody(Sample());
  ASSERT_TRUE(packed.ok()) << packed.status().ToString();
  Result<RegisterBrokerBody> back = DecodeCompressedRegisterBrokerBody(*packed);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, Sample());
}

TEST(RegisterBrokerBodyTest, JsonAcceptsStringNumbersAndRejectsGarbage) {
  auto body = DecodeRegisterBrokerBody(
      R"({"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{"counter":3,)"
      R"("stateVersion":0,"timestamp":77},"topicConfigTable":{"T":{"perm":"6","readQueueNums":2,)"
      R"("topicName":"T","topicSysFlag":0,"writeQueueNums":"3"}}}})");
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  const TopicConfigSerializeWrapper& w = body->topic_config_serialize_wrapper;
  EXPECT_EQ(w.data_version, (DataVersion{.counter = 3, .state_version = 0, .timestamp = 77}));
  ASSERT_EQ(w.topic_config_table.size(), 1u);
  EXPECT_EQ(w.topic_config_table.at("T").read_queue_nums, 2);
  EXPECT_EQ(w.topic_config_table.at("T").write_queue_nums, 3);
  EXPECT_EQ(w.topic_config_table.at("T").perm, 6);
  EXPECT_TRUE(DecodeRegisterBrokerBody("").ok());
  EXPECT_FALSE(DecodeRegisterBrokerBody("{not json").ok());
  EXPECT_FALSE(DecodeRegisterBrokerBody(
                   R"({"topicConfigSerializeWrapper":{"topicConfigTable":{"T":{"perm":"x"}}}})")
                   .ok());
}

// Big-endian int32 length + bytes, as Java's DataOutputStream writes them in the compressed body.
std::string Chunk(const std::string& bytes) {
  std::string out(4, '\0');
  uint32_t n = static_cast<uint32_t>(bytes.size());
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((n >> (24 - 8 * i)) & 0xFF);
  return out + bytes;
}

std::string Deflate(const std::string& raw) {
  uLongf size = compressBound(raw.size());
  std::string out(size, '\0');
  EXPECT_EQ(compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                      reinterpret_cast<const Bytef*>(raw.data()), raw.size(), Z_BEST_COMPRESSION),
            Z_OK);
  out.resize(size);
  return out;
}

TEST(RegisterBrokerBodyTest, CompressedDecodesWhatAJavaBrokerWrites) {
  // Laid out by hand as RegisterBrokerBody.encode(true) writes it, with a 5.x static-topic
  // mapping section after the filter server list.
  std::string count(4, '\0');
  count[3] = 2;
  std::string raw = Chunk(R"({"counter":5,"stateVersion":0,"timestamp":9})") + count +
                    Chunk("TopicA 4 4 6 SINGLE_TAG") +
                    Chunk(R"(TopicB 8 2 7 MULTI_TAG {"+message.type":"FIFO"})") + Chunk("[]") +
                    std::string(4, '\0');
  auto body = DecodeCompressedRegisterBrokerBody(Deflate(raw));
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  const TopicConfigSerializeWrapper& w = body->topic_config_serialize_wrapper;
  EXPECT_EQ(w.data_version, (DataVersion{.counter = 5, .state_version = 0, .timestamp = 9}));
  ASSERT_EQ(w.topic_config_table.size(), 2u);
  const TopicConfig& b = w.topic_config_table.at("TopicB");
  EXPECT_EQ(b.read_queue_nums, 8);
  EXPECT_EQ(b.write_queue_nums, 2);
  EXPECT_EQ(b.perm, 7);
  EXPECT_EQ(b.attributes.at("+message.type"), "FIFO");

  EXPECT_FALSE(DecodeCompressedRegisterBrokerBody("not zlib").ok());
  EXPECT_FALSE(DecodeCompressedRegisterBrokerBody(Deflate(raw.substr(0, raw.size() - 40))).ok());
  std::string deflated = Deflate(raw);
  EXPECT_FALSE(DecodeCompressedRegisterBrokerBody(deflated.substr(0, deflated.size() / 2)).ok());
}

}  // namespace
}  // namespace holdfast::protocol
