#include "remoting/protocol/lock_batch_body.h"

#include <gtest/gtest.h>

#include "remoting/protocol/message_queue.h"

namespace holdfast::protocol {
namespace {

const MessageQueue kQ0{"T", "broker-a", 0};
const MessageQueue kQ1{"T", "broker-a", 1};

TEST(LockBatchBodyTest, RequestRoundTripsAndErrorsNameTheField) {
  LockBatchRequestBody body;
  body.consumer_group = "G";
  body.client_id = "c1";
  body.mq_set = {kQ1, kQ0};
  body.only_this_broker = true;
  const std::string text = EncodeLockBatchRequestBody(body);
  EXPECT_EQ(text,
            R"({"clientId":"c1","consumerGroup":"G","mqSet":[{"brokerName":"broker-a","queueId":0,)"
            R"("topic":"T"},{"brokerName":"broker-a","queueId":1,"topic":"T"}],)"
            R"("onlyThisBroker":true})");
  Result<LockBatchRequestBody> back = DecodeLockBatchRequestBody(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, body);

  Result<LockBatchRequestBody> bad =
      DecodeLockBatchRequestBody(R"({"consumerGroup":"G","clientId":"c","mqSet":[{"topic":"T"}]})");
  ASSERT_TRUE(bad.status().IsCorruption());
  EXPECT_NE(bad.status().message().find("mqSet[0]"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(DecodeLockBatchRequestBody(R"({"clientId":"c"})").ok());
  EXPECT_FALSE(DecodeLockBatchRequestBody("[]").ok());
}

TEST(LockBatchBodyTest, ResponseRoundTrips) {
  const LockBatchResponseBody locked{{kQ0}};
  EXPECT_EQ(EncodeLockBatchResponseBody(locked),
            R"({"lockOKMQSet":[{"brokerName":"broker-a","queueId":0,"topic":"T"}]})");
  Result<LockBatchResponseBody> back =
      DecodeLockBatchResponseBody(EncodeLockBatchResponseBody(locked));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, locked);
  // A Java broker that locked nothing may leave the set out.
  Result<LockBatchResponseBody> none = DecodeLockBatchResponseBody("{}");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->lock_ok_mq_set.empty());
}

TEST(MessageQueueJsonTest, RoundTripsAndReadsQuotedNumbers) {
  Result<MessageQueue> back = MessageQueueFromJson(MessageQueueToJson(kQ1), "mq");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, kQ1);
  Result<MessageQueue> quoted = MessageQueueFromJson(
      nlohmann::json{{"brokerName", "b"}, {"queueId", "3"}, {"topic", "T"}}, "mq");
  ASSERT_TRUE(quoted.ok());
  EXPECT_EQ(quoted->queue_id, 3);
  EXPECT_TRUE(MessageQueueFromJson(nlohmann::json{{"topic", "T"}}, "mq").status().IsCorruption());
}

TEST(MessageQueueJsonTest, MapKeysAreTheQueuesJsonWrittenRaw) {
  std::map<MessageQueue, nlohmann::json> entries{{kQ1, {{"v", 1}}}, {kQ0, {{"v", 0}}}};
  const std::string text = EncodeMessageQueueMap(entries);
  EXPECT_EQ(text, R"({{"brokerName":"broker-a","queueId":0,"topic":"T"}:{"v":0},)"
                  R"({"brokerName":"broker-a","queueId":1,"topic":"T"}:{"v":1}})");
}

}  // namespace
}  // namespace holdfast::protocol
