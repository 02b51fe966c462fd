// Protocol conformance: frames written byte for byte the way RocketMQ's Java client (4.9.x,
// fastjson) sends them, fed to a real `holdfast standalone` process over a raw socket, and the
// responses read back byte for byte and checked field by field (docs/protocol.md §1-§6). Nothing
// here goes through Holdfast's own frame codec: the requests are hand-written text, the responses
// are parsed from the raw bytes, so a codec bug cannot hide itself.
#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/raw_peer.h"
#include "tests/support/standalone_broker.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_until.h"

namespace holdfast {
namespace {

using nlohmann::json;

constexpr int kJavaVersion = 401;  // V4_9_4: the client asks for standard JSON routes

std::string Int32Be(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

// length(4) | serializeType(1) headerLength(3) | header | body  (docs/protocol.md §1.2)
std::string Frame(uint8_t serialize_type, const std::string& header, const std::string& body) {
  return Int32Be(static_cast<uint32_t>(4 + header.size() + body.size())) +
         Int32Be((uint32_t{serialize_type} << 24) | static_cast<uint32_t>(header.size())) + header +
         body;
}

std::string JavaRequest(int code, int opaque, const std::string& ext_fields_json,
                        const std::string& body = "") {
  // fastjson: keys sorted, null fields left out, every extFields value a string.
  std::string header = R"({"code":)" + std::to_string(code) + R"(,"extFields":)" + ext_fields_json +
                       R"(,"flag":0,"language":"JAVA","opaque":)" + std::to_string(opaque) +
                       R"(,"serializeTypeCurrentRPC":"JSON","version":)" +
                       std::to_string(kJavaVersion) + "}";
  return Frame(0, header, body);
}

struct RawResponse {
  uint8_t serialize_type = 0xFF;
  json header;
  std::string body;
};

// Splits one response frame by hand and parses its JSON header.
RawResponse ParseResponse(const std::string& frame) {
  RawResponse r;
  if (frame.size() < 8) {
    ADD_FAILURE() << "short or missing frame (" << frame.size() << " bytes)";
    return r;
  }
  auto u32 = [&](size_t at) {
    return (uint32_t{static_cast<uint8_t>(frame[at])} << 24) |
           (uint32_t{static_cast<uint8_t>(frame[at + 1])} << 16) |
           (uint32_t{static_cast<uint8_t>(frame[at + 2])} << 8) |
           uint32_t{static_cast<uint8_t>(frame[at + 3])};
  };
  const uint32_t length = u32(0);
  EXPECT_EQ(length + 4, frame.size()) << "the length field does not count itself";
  const uint32_t word = u32(4);
  r.serialize_type = static_cast<uint8_t>(word >> 24);
  const uint32_t header_len = word & 0xFFFFFF;
  EXPECT_LE(8 + header_len, frame.size());
  r.header = json::parse(frame.substr(8, header_len), nullptr, false);
  EXPECT_TRUE(r.header.is_object()) << frame.substr(8, header_len);
  r.body = frame.substr(8 + header_len);
  return r;
}

class JavaClientFramesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(broker_.Start().ok());
    broker_peer_ = std::make_unique<testing::RawPeer>(broker_.broker_port());
    ASSERT_TRUE(broker_peer_->connected());
    const std::string& ns = broker_.namesrv_addr();
    namesrv_peer_ = std::make_unique<testing::RawPeer>(
        static_cast<uint16_t>(std::stoi(ns.substr(ns.find(':') + 1))));
    ASSERT_TRUE(namesrv_peer_->connected());
  }

  RawResponse Call(testing::RawPeer& peer, const std::string& frame, int opaque) {
    EXPECT_TRUE(peer.Write(frame));
    RawResponse r = ParseResponse(peer.ReadFrame());
    // Requests the server sends on the same connection (flag bit 0 clear, §1.5) come first.
    while (r.header.is_object() && (r.header.value("flag", 1) & 1) == 0) {
      server_requests_.push_back(r);
      r = ParseResponse(peer.ReadFrame());
    }
    // Every response: JSON header (§1.2 "reply in JSON"), response flag, the request's opaque,
    // and a version a Java client records as the server's.
    EXPECT_EQ(r.serialize_type, 0);
    EXPECT_EQ(r.header.value("flag", -1) & 1, 1) << r.header.dump();
    EXPECT_EQ(r.header.value("opaque", -1), opaque) << r.header.dump();
    EXPECT_GE(r.header.value("version", 0), kJavaVersion) << r.header.dump();
    // Go clients fail on any non-string extFields value (§1.7).
    if (r.header.contains("extFields")) {
      for (const auto& [key, value] : r.header["extFields"].items()) {
        EXPECT_TRUE(value.is_string()) << key << " is not a JSON string";
      }
    }
    return r;
  }

  // SEND_MESSAGE_V2 as DefaultMQProducer sends it: V2 short keys (§4.1), property string with
  // UNIQ_KEY, WAIT, TAGS, KEYS (§6.3), written by fastjson with \u0001 / \u0002 escapes.
  RawResponse SendV2(const std::string& topic, int queue_id, const std::string& body, int opaque) {
    const std::string ext =
        R"({"a":"please_rename_unique_group_name","b":")" + topic +
        R"(","c":"TBW102","d":"4","e":")" + std::to_string(queue_id) +
        R"(","f":"0","g":"1700000000000","h":"0","i":"UNIQ_KEY\u00017F0000012A3B18B4AAC27D4E5F600000\u0002WAIT\u0001true\u0002TAGS\u0001TagA\u0002KEYS\u0001order-1\u0002","j":"0","k":"false","m":"false"})";
    return Call(*broker_peer_, JavaRequest(310, opaque, ext, body), opaque);
  }

  // Waits until GET_MAX_OFFSET of the queue reaches `max`: dispatch to the consume queue trails
  // the send answer by a moment.
  bool WaitMaxOffset(const std::string& topic, int queue_id, int64_t max) {
    const std::string queue =
        R"({"queueId":")" + std::to_string(queue_id) + R"(","topic":")" + topic + R"("})";
    return testing::WaitUntil([&] {
      ++poll_opaque_;
      RawResponse r = Call(*broker_peer_, JavaRequest(30, poll_opaque_, queue), poll_opaque_);
      return r.header["extFields"].value("offset", "") == std::to_string(max);
    });
  }

  int poll_opaque_ = 1000;
  testing::TempDir dir_;
  // 64 MiB segments: a fresh store's first send waits until its first segment is zero-filled,
  // which for the default 1 GiB took seconds on a busy machine, near the raw peer's 5 s timeout.
  testing::StandaloneBroker broker_{
      HOLDFAST_PROGRAM, dir_.Sub("data"), {"--set", "mappedFileSizeCommitLog=67108864"}};
  std::unique_ptr<testing::RawPeer> broker_peer_;
  std::unique_ptr<testing::RawPeer> namesrv_peer_;
  std::vector<RawResponse> server_requests_;  // what the server sent us unasked
};

TEST_F(JavaClientFramesTest, RouteInStandardJsonForNewClientsAndFastjsonKeysForOldOnes) {
  RawResponse r = Call(*namesrv_peer_, JavaRequest(105, 7, R"({"topic":"TBW102"})"), 7);
  ASSERT_EQ(r.header["code"], 0) << r.header.dump();
  json route = json::parse(r.body, nullptr, false);
  ASSERT_TRUE(route.is_object()) << "a 4.9.4+ client gets valid JSON: " << r.body;
  ASSERT_EQ(route["brokerDatas"].size(), 1u);
  EXPECT_EQ(route["brokerDatas"][0]["cluster"], "DefaultCluster");
  EXPECT_EQ(route["brokerDatas"][0]["brokerAddrs"]["0"], broker_.broker_addr());
  EXPECT_EQ(route["filterServerTable"], json::object());
  ASSERT_EQ(route["queueDatas"].size(), 1u);
  EXPECT_EQ(route["queueDatas"][0]["brokerName"], route["brokerDatas"][0]["brokerName"]);
  EXPECT_EQ(route["queueDatas"][0]["perm"], 7) << "TBW102 is readable, writable, inheritable";

  // The Go client (V4_5_2 = 317) would get fastjson's unquoted Map<Long,String> keys from Apache's
  // name server; Holdfast's answers everyone in the quoted form, which the Go client's
  // comma-and-colon splitting also reads (docs/protocol.md §5.1 recommendation,
  // alwaysStandardJson).
  std::string old_header =
      R"({"code":105,"extFields":{"topic":"TBW102"},"flag":0,"language":"GO","opaque":8,"version":317})";
  RawResponse old = Call(*namesrv_peer_, Frame(0, old_header, ""), 8);
  ASSERT_EQ(old.header["code"], 0);
  EXPECT_NE(old.body.find("\"brokerAddrs\":{\"0\":\"" + broker_.broker_addr() + "\"}"),
            std::string::npos)
      << old.body;

  // An unknown topic: TOPIC_NOT_EXIST (17) with a remark naming it.
  RawResponse missing = Call(*namesrv_peer_, JavaRequest(105, 9, R"({"topic":"NoSuchTopic"})"), 9);
  EXPECT_EQ(missing.header["code"], 17);
  EXPECT_NE(missing.header.value("remark", "").find("NoSuchTopic"), std::string::npos);
}

TEST_F(JavaClientFramesTest, RocketMqBinaryHeaderRequestIsAnsweredInJson) {
  // Sheet §1.4 worked example, with topic "TBW102": code 105, JAVA, version 479, opaque 1.
  std::string header;
  header += std::string("\x00\x69", 2);  // code 105
  header += std::string("\x00", 1);      // language JAVA
  header += std::string("\x01\xDF", 2);  // version 479
  header += Int32Be(1);                  // opaque
  header += Int32Be(0);                  // flag
  header += Int32Be(0);                  // remark: null
  header += Int32Be(2 + 5 + 4 + 6);      // extFields bytes
  header += std::string("\x00\x05", 2) + "topic" + Int32Be(6) + "TBW102";
  RawResponse r = Call(*namesrv_peer_, Frame(1, header, ""), 1);
  EXPECT_EQ(r.header["code"], 0) << r.header.dump();
  json route = json::parse(r.body, nullptr, false);
  ASSERT_TRUE(route.is_object()) << r.body;
  EXPECT_EQ(route["brokerDatas"][0]["brokerAddrs"]["0"], broker_.broker_addr());
}

TEST_F(JavaClientFramesTest, SendMessageV2AnswersWithTheFieldsTheJavaClientReads) {
  RawResponse r = SendV2("ConformanceTopic", 1, "hello from java", 11);
  ASSERT_EQ(r.header["code"], 0) << r.header.dump();
  EXPECT_FALSE(r.header.contains("remark") && r.header["remark"].is_string());
  const json& ext = r.header["extFields"];
  // msgId = offsetMsgId: 16 bytes (IPv4 + port + commit-log offset) as 32 upper-case hex (§6.6).
  EXPECT_TRUE(std::regex_match(ext.value("msgId", ""), std::regex("[0-9A-F]{32}"))) << ext.dump();
  EXPECT_EQ(ext.value("queueId", ""), "1");
  EXPECT_EQ(ext.value("queueOffset", ""), "0");
  EXPECT_EQ(ext.value("MSG_REGION", ""), "DefaultRegion");
  EXPECT_EQ(ext.value("TRACE_ON", ""), "true");

  RawResponse second = SendV2("ConformanceTopic", 1, "second", 12);
  EXPECT_EQ(second.header["extFields"].value("queueOffset", ""), "1");

  // The topic was auto-created from TBW102 and registered: the name server routes it now.
  RawResponse route =
      Call(*namesrv_peer_, JavaRequest(105, 13, R"({"topic":"ConformanceTopic"})"), 13);
  EXPECT_EQ(route.header["code"], 0) << route.header.dump();
}

TEST_F(JavaClientFramesTest, ConsumerOffsetsQueryUpdateAndQueueBounds) {
  ASSERT_EQ(SendV2("OffsetTopic", 0, "m0", 20).header["code"], 0);
  ASSERT_EQ(SendV2("OffsetTopic", 0, "m1", 21).header["code"], 0);
  // SEND_OK comes after the flush; the consume queue gets the entries just after (reput). The
  // young-topic rule below looks at the queue, so wait for them.
  ASSERT_TRUE(WaitMaxOffset("OffsetTopic", 0, 2));

  // No offset yet for the group. Java clients send no setZeroIfNotFound, and on a young topic
  // whose first message is still in memory the broker answers 0 (docs/protocol.md §4.5, §8.10);
  // with setZeroIfNotFound=false it answers QUERY_NOT_FOUND (22).
  const std::string query = R"({"consumerGroup":"cg","queueId":"0","topic":"OffsetTopic"})";
  RawResponse young = Call(*broker_peer_, JavaRequest(14, 21, query), 21);
  EXPECT_EQ(young.header["code"], 0) << young.header.dump();
  EXPECT_EQ(young.header["extFields"].value("offset", ""), "0");
  RawResponse none = Call(
      *broker_peer_,
      JavaRequest(
          14, 22,
          R"({"consumerGroup":"cg","queueId":"0","setZeroIfNotFound":"false","topic":"OffsetTopic"})"),
      22);
  EXPECT_EQ(none.header["code"], 22) << none.header.dump();

  RawResponse update =
      Call(*broker_peer_,
           JavaRequest(
               15, 23,
               R"({"commitOffset":"1","consumerGroup":"cg","queueId":"0","topic":"OffsetTopic"})"),
           23);
  EXPECT_EQ(update.header["code"], 0) << update.header.dump();

  RawResponse found = Call(*broker_peer_, JavaRequest(14, 24, query), 24);
  EXPECT_EQ(found.header["code"], 0) << found.header.dump();
  EXPECT_EQ(found.header["extFields"].value("offset", ""), "1");

  const std::string queue = R"({"queueId":"0","topic":"OffsetTopic"})";
  RawResponse min = Call(*broker_peer_, JavaRequest(31, 26, queue), 26);
  EXPECT_EQ(min.header["extFields"].value("offset", ""), "0");
}

// A push consumer's heartbeat as fastjson writes HeartbeatData (§5.2), with the retry-topic
// subscription Java adds for CLUSTERING, then its pulls: sysFlag 3 (COMMIT_OFFSET | SUSPEND, no
// SUBSCRIPTION since postSubscriptionWhenPull is false), so the broker filters with the
// heartbeat's subscription.
TEST_F(JavaClientFramesTest, HeartbeatThenPullAsThePushConsumerDoes) {
  ASSERT_EQ(SendV2("PullTopic", 1, "first body", 40).header["code"], 0);
  ASSERT_EQ(SendV2("PullTopic", 1, "second body", 41).header["code"], 0);
  ASSERT_TRUE(WaitMaxOffset("PullTopic", 1, 2));

  const std::string heartbeat =
      R"({"clientID":"127.0.0.1@4242#1700000000000","consumerDataSet":[{"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY","groupName":"cg_java","messageModel":"CLUSTERING","subscriptionDataSet":[{"classFilterMode":false,"codeSet":[2598919],"expressionType":"TAG","subString":"TagA","subVersion":1700000000000,"tagsSet":["TagA"],"topic":"PullTopic"},{"classFilterMode":false,"codeSet":[],"expressionType":"TAG","subString":"*","subVersion":1700000000001,"tagsSet":[],"topic":"%RETRY%cg_java"}],"unitMode":false}],"producerDataSet":[{"groupName":"CLIENT_INNER_PRODUCER"}]})";
  RawResponse hb = Call(*broker_peer_, JavaRequest(34, 42, "{}", heartbeat), 42);
  EXPECT_EQ(hb.header["code"], 0) << hb.header.dump();
  EXPECT_EQ(hb.header["version"], 479) << "the client records this as the broker's version";
  // The group's member set changed: the broker tells its members, oneway (§8.10).
  ASSERT_EQ(server_requests_.size(), 1u);
  EXPECT_EQ(server_requests_[0].header["code"], 40);
  EXPECT_EQ(server_requests_[0].header["flag"], 2) << "oneway";
  EXPECT_EQ(server_requests_[0].header["extFields"]["consumerGroup"], "cg_java");

  RawResponse ids = Call(*broker_peer_, JavaRequest(38, 43, R"({"consumerGroup":"cg_java"})"), 43);
  ASSERT_EQ(ids.header["code"], 0) << ids.header.dump();
  EXPECT_EQ(json::parse(ids.body, nullptr, false),
            json::parse(R"({"consumerIdList":["127.0.0.1@4242#1700000000000"]})"));

  auto pull = [&](int64_t offset, int64_t suspend_ms, int opaque) {
    const std::string ext =
        R"({"commitOffset":"0","consumerGroup":"cg_java","expressionType":"TAG","maxMsgNums":"32","queueId":"1","queueOffset":")" +
        std::to_string(offset) + R"(","subVersion":"1700000000000","suspendTimeoutMillis":")" +
        std::to_string(suspend_ms) + R"(","sysFlag":"3","topic":"PullTopic"})";
    return Call(*broker_peer_, JavaRequest(11, opaque, ext), opaque);
  };
  RawResponse found = pull(0, 15000, 44);
  ASSERT_EQ(found.header["code"], 0) << found.header.dump();
  EXPECT_EQ(found.header.value("remark", ""), "FOUND");
  const json& ext = found.header["extFields"];
  EXPECT_EQ(ext.value("nextBeginOffset", ""), "2");
  EXPECT_EQ(ext.value("minOffset", ""), "0");
  EXPECT_EQ(ext.value("maxOffset", ""), "2");
  EXPECT_EQ(ext.value("suggestWhichBrokerId", ""), "0");
  // The body is the stored records back to back (§4.2, §6.1); walk them by their totalSize and
  // read queueId (offset 12) and queueOffset (offset 20) as MessageDecoder does.
  auto be = [&](size_t at, int n) {
    int64_t v = 0;
    for (int k = 0; k < n; ++k) v = (v << 8) | static_cast<uint8_t>(found.body[at + k]);
    return v;
  };
  size_t at = 0;
  std::vector<int64_t> queue_offsets;
  while (at + 28 <= found.body.size()) {
    const int64_t total = be(at, 4);
    ASSERT_GT(total, 28);
    EXPECT_EQ(be(at + 4, 4), 0xDAA320A7) << "MESSAGE_MAGIC_CODE (V1)";
    EXPECT_EQ(be(at + 12, 4), 1) << "queueId";
    queue_offsets.push_back(be(at + 20, 8));
    at += static_cast<size_t>(total);
  }
  EXPECT_EQ(at, found.body.size()) << "records fill the body exactly";
  EXPECT_EQ(queue_offsets, (std::vector<int64_t>{0, 1}));
  EXPECT_NE(found.body.find("first body"), std::string::npos);
  EXPECT_NE(found.body.find("second body"), std::string::npos);
  EXPECT_NE(found.body.find(std::string("TAGS\x01TagA", 9)), std::string::npos);

  // Caught up: a suspended pull is held, then answered PULL_NOT_FOUND (19) at its deadline with
  // the same next offset.
  RawResponse empty = pull(2, 300, 45);
  EXPECT_EQ(empty.header["code"], 19) << empty.header.dump();
  EXPECT_EQ(empty.header["extFields"].value("nextBeginOffset", ""), "2");

  // A group nobody registered: SUBSCRIPTION_NOT_EXIST (24) or SUBSCRIPTION_GROUP_NOT_EXIST (26)
  // would both stop a Java consumer; with autoCreateSubscriptionGroup the group exists, so the
  // missing heartbeat subscription is what is reported.
  const std::string stranger =
      R"({"commitOffset":"0","consumerGroup":"cg_stranger","maxMsgNums":"32","queueId":"1","queueOffset":"0","subVersion":"0","suspendTimeoutMillis":"0","sysFlag":"1","topic":"PullTopic"})";
  RawResponse refused = Call(*broker_peer_, JavaRequest(11, 46, stranger), 46);
  EXPECT_EQ(refused.header["code"], 24) << refused.header.dump();
}

// A delayed send as DefaultMQProducer writes it (msg.setDelayTimeLevel(1): property DELAY=1): the
// broker answers SEND_OK at once, the message reaches its queue only after level 1's 1 s, with the
// producer's UNIQ_KEY, and GET_ALL_DELAY_OFFSET (45) answers delayOffset.json (§8.2).
TEST_F(JavaClientFramesTest, DelayedSendArrivesAfterItsLevelWithItsMsgId) {
  const std::string ext =
      R"({"a":"please_rename_unique_group_name","b":"DelayTopic","c":"TBW102","d":"4","e":"2","f":"0","g":"1700000000000","h":"0","i":"UNIQ_KEY\u00017F0000012A3B18B4AAC27D4E5F6000D1\u0002WAIT\u0001true\u0002DELAY\u00011\u0002KEYS\u0001delayed-1\u0002","j":"0","k":"false","m":"false"})";
  const auto sent_at = std::chrono::steady_clock::now();
  RawResponse r = Call(*broker_peer_, JavaRequest(310, 60, ext, "later"), 60);
  ASSERT_EQ(r.header["code"], 0) << r.header.dump();
  EXPECT_EQ(r.header["extFields"].value("queueId", ""), "2");
  // Not in its queue yet: it waits in SCHEDULE_TOPIC_XXXX.
  const std::string queue = R"({"queueId":"2","topic":"DelayTopic"})";
  RawResponse max = Call(*broker_peer_, JavaRequest(30, 61, queue), 61);
  EXPECT_EQ(max.header["extFields"].value("offset", ""), "0");
  ASSERT_TRUE(WaitMaxOffset("DelayTopic", 2, 1));
  EXPECT_GE(std::chrono::steady_clock::now() - sent_at, std::chrono::seconds(1));

  const std::string pull =
      R"({"commitOffset":"0","consumerGroup":"cg_delay","maxMsgNums":"32","queueId":"2","queueOffset":"0","subVersion":"0","subscription":"*","suspendTimeoutMillis":"0","sysFlag":"4","topic":"DelayTopic"})";
  RawResponse found = Call(*broker_peer_, JavaRequest(11, 62, pull), 62);
  ASSERT_EQ(found.header["code"], 0) << found.header.dump();
  EXPECT_NE(found.body.find("later"), std::string::npos);
  EXPECT_NE(found.body.find(std::string("UNIQ_KEY\x01") + "7F0000012A3B18B4AAC27D4E5F6000D1"),
            std::string::npos);
  EXPECT_NE(found.body.find(std::string("REAL_TOPIC\x01") + "DelayTopic"), std::string::npos);
  EXPECT_EQ(found.body.find(std::string("DELAY\x01")), std::string::npos);

  RawResponse offsets = Call(*broker_peer_, JavaRequest(45, 63, "{}"), 63);
  ASSERT_EQ(offsets.header["code"], 0) << offsets.header.dump();
  EXPECT_NE(offsets.body.find("\"offsetTable\":{1:"), std::string::npos) << offsets.body;
}

// A push consumer's send-back of a message it failed (docs/protocol.md §4.3, §8.3): fastjson's
// ConsumerSendMsgBackRequestHeader as MQClientAPIImpl.consumerSendMessageBack fills it (offset =
// the message's commitLogOffset, originMsgId = its UNIQ_KEY), then, for a message out of retries,
// the fallback send to the retry topic (SEND_MESSAGE_V2 with j = reconsumeTimes + 1 and
// l = maxReconsumeTimes, DELAY 3 + reconsumeTimes) that the broker stores in the DLQ.
TEST_F(JavaClientFramesTest, SendBackThenFallbackSendToTheRetryTopicAsTheJavaConsumerDoes) {
  RawResponse sent = SendV2("BackTopic", 0, "failed body", 50);
  ASSERT_EQ(sent.header["code"], 0) << sent.header.dump();
  // offsetMsgId: store host (8 bytes) then the commit-log offset (8 bytes), in hex (§6.6).
  const std::string offset_msg_id = sent.header["extFields"].value("msgId", "");
  ASSERT_EQ(offset_msg_id.size(), 32u);
  const std::string offset = std::to_string(std::stoll(offset_msg_id.substr(16), nullptr, 16));
  auto send_back = [&](const std::string& commit_log_offset, int delay_level, int opaque) {
    const std::string ext =
        R"({"delayLevel":")" + std::to_string(delay_level) +
        R"(","group":"cg_back","maxReconsumeTimes":"16","offset":")" + commit_log_offset +
        R"(","originMsgId":"7F0000012A3B18B4AAC27D4E5F600000","originTopic":"BackTopic","unitMode":"false"})";
    return Call(*broker_peer_, JavaRequest(36, opaque, ext), opaque);
  };

  // Level 0: the broker picks 3 + reconsumeTimes. The copy is in %RETRY%cg_back, or on its way
  // there through SCHEDULE_TOPIC_XXXX queue 2 (level 3) where the broker has delay levels.
  RawResponse back = send_back(offset, 0, 51);
  EXPECT_EQ(back.header["code"], 0) << back.header.dump();
  EXPECT_FALSE(back.header.contains("remark") && back.header["remark"].is_string());
  auto max_offset = [&](const std::string& topic, int queue_id) {
    ++poll_opaque_;
    const std::string queue =
        R"({"queueId":")" + std::to_string(queue_id) + R"(","topic":")" + topic + R"("})";
    RawResponse r = Call(*broker_peer_, JavaRequest(30, poll_opaque_, queue), poll_opaque_);
    return r.header["extFields"].value("offset", "");
  };
  EXPECT_TRUE(testing::WaitUntil([&] {
    return max_offset("%RETRY%cg_back", 0) == "1" || max_offset("SCHEDULE_TOPIC_XXXX", 2) == "1";
  }));

  // Level -1: straight to the DLQ.
  EXPECT_EQ(send_back(offset, -1, 52).header["code"], 0);
  EXPECT_TRUE(WaitMaxOffset("%DLQ%cg_back", 0, 1));

  // An offset where no message starts: SYSTEM_ERROR with 4.9.7's remark.
  RawResponse missing = send_back("999999999", 0, 53);
  EXPECT_EQ(missing.header["code"], 1);
  EXPECT_NE(missing.header.value("remark", "").find("look message by offset failed, 999999999"),
            std::string::npos)
      << missing.header.dump();

  // The fallback send of the 16th retry's failure: the producer moved RECONSUME_TIME (16) and
  // MAX_RECONSUME_TIMES (16) into j and l. Stored in the DLQ, at once.
  const std::string fallback =
      R"({"a":"CLIENT_INNER_PRODUCER","b":"%RETRY%cg_back","c":"TBW102","d":"4","e":"-1","f":"0","g":"1700000000000","h":"0","i":"UNIQ_KEY\u00017F0000012A3B18B4AAC27D4E5F600000\u0002WAIT\u0001true\u0002TAGS\u0001TagA\u0002RETRY_TOPIC\u0001BackTopic\u0002ORIGIN_MESSAGE_ID\u0001)" +
      offset_msg_id + R"(\u0002DELAY\u000118\u0002","j":"16","k":"false","l":"16","m":"false"})";
  RawResponse dead = Call(*broker_peer_, JavaRequest(310, 54, fallback, "failed body"), 54);
  ASSERT_EQ(dead.header["code"], 0) << dead.header.dump();
  EXPECT_EQ(dead.header["extFields"].value("queueId", ""), "0");
  EXPECT_TRUE(WaitMaxOffset("%DLQ%cg_back", 0, 2));
}

TEST_F(JavaClientFramesTest, UnknownRequestCodeGetsJavasRemarkAndTheConnectionStaysUsable) {
  RawResponse r = Call(*broker_peer_, JavaRequest(9999, 30, "{}"), 30);
  EXPECT_EQ(r.header["code"], 3);
  EXPECT_EQ(r.header.value("remark", ""), " request type 9999 not supported");
  RawResponse after = SendV2("AfterUnknown", 0, "still served", 31);
  EXPECT_EQ(after.header["code"], 0);
}

}  // namespace
}  // namespace holdfast
