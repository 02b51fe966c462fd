// QueryMessageProcessor over real TCP: QUERY_MESSAGE by key and by UNIQ_KEY (queryMsgById) and
// VIEW_MESSAGE_BY_ID, as the Java client sends them, against an in-process broker on loopback.
#include "broker/query_message_processor.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "broker/broker_test_fixture.h"
#include "common/message.h"
#include "common/message_codec.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::broker {
namespace {

using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;

// Splits a body of concatenated stored records, checking each one's CRC.
std::vector<MessageExt> DecodeRecords(std::string_view body) {
  std::vector<MessageExt> out;
  while (!body.empty()) {
    auto view = DecodeStoredRecord(body, true);
    EXPECT_TRUE(view.ok()) << view.status().ToString();
    if (!view.ok()) break;
    out.push_back(view->ToMessageExt());
    body.remove_prefix(static_cast<size_t>(view->store_size));
  }
  return out;
}

std::string Properties(const std::string& uniq_key, const std::string& keys) {
  return EncodeProperties({{"UNIQ_KEY", uniq_key}, {"KEYS", keys}, {"WAIT", "true"}});
}

class QueryMessageProcessorTest : public BrokerFixture {
 protected:
  // The header MQAdminImpl.queryMessage sends.
  RemotingCommand Query(const std::string& topic, const std::string& key, int max_num,
                        bool unique = false) {
    std::map<std::string, std::string> fields = {{"topic", topic},
                                                 {"key", key},
                                                 {"maxNum", std::to_string(max_num)},
                                                 {"beginTimestamp", "0"},
                                                 {"endTimestamp", "9223372036854775807"}};
    if (unique) fields["_UNIQUE_KEY_QUERY"] = "true";
    return Call(RequestCode::QUERY_MESSAGE, fields);
  }
};

TEST_F(QueryMessageProcessorTest, QueryByKeyAndByUniqKeyReturnsTheStoredRecords) {
  const std::string uniq0 = "7F0000010A2B18B4AAC2123456780000";
  const std::string uniq1 = "7F0000010A2B18B4AAC2123456780001";
  const std::string uniq2 = "7F0000010A2B18B4AAC2123456780002";
  const int64_t off0 = Send("QTopic", 0, "first", Properties(uniq0, "order-1 shared"));
  const int64_t off1 = Send("QTopic", 1, "second", Properties(uniq1, "order-1"));
  const int64_t off2 = Send("QTopic", 0, "third", Properties(uniq2, "order-2 shared"));
  ASSERT_TRUE(off0 >= 0 && off1 >= 0 && off2 >= 0);
  ASSERT_TRUE(broker_->message_store().WaitForDispatch(std::chrono::seconds(5)));

  RemotingCommand r = Query("QTopic", "order-1", 32);
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
  std::vector<MessageExt> found = DecodeRecords(r.body);
  ASSERT_EQ(found.size(), 2u);
  std::set<std::string> bodies{found[0].body, found[1].body};
  EXPECT_EQ(bodies, (std::set<std::string>{"first", "second"}));
  // The body is the stored records byte for byte.
  std::string expected;
  for (const MessageExt& m : found) {
    expected += *broker_->message_store().LookStoredRecordByOffset(m.commit_log_offset);
  }
  EXPECT_EQ(r.body, expected);
  ASSERT_NE(r.FindExtField("indexLastUpdatePhyoffset"), nullptr);
  ASSERT_NE(r.FindExtField("indexLastUpdateTimestamp"), nullptr);
  EXPECT_EQ(*r.FindExtField("indexLastUpdatePhyoffset"), std::to_string(off2));
  EXPECT_GT(std::stoll(*r.FindExtField("indexLastUpdateTimestamp")), 0);

  // maxNum caps the answer.
  EXPECT_EQ(DecodeRecords(Query("QTopic", "shared", 1).body).size(), 1u);
  EXPECT_EQ(DecodeRecords(Query("QTopic", "shared", 10).body).size(), 2u);

  // queryMsgById: the key is a UNIQ_KEY; maxNum is forced to 32 whatever was sent.
  r = Query("QTopic", uniq1, 0, /*unique=*/true);
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
  found = DecodeRecords(r.body);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].body, "second");
  EXPECT_EQ(found[0].commit_log_offset, off1);
  EXPECT_EQ(FindProperty(found[0].properties, "UNIQ_KEY"), uniq1);

  // Nothing found: QUERY_NOT_FOUND, still with the index position.
  for (RemotingCommand miss : {Query("QTopic", "order-9", 32), Query("Other", "order-1", 32)}) {
    EXPECT_EQ(miss.code, ResponseCode::QUERY_NOT_FOUND);
    EXPECT_TRUE(miss.body.empty());
    EXPECT_EQ(miss.remark.value_or(""), "can not find message, maybe time range not correct");
    ASSERT_NE(miss.FindExtField("indexLastUpdatePhyoffset"), nullptr);
    EXPECT_EQ(*miss.FindExtField("indexLastUpdatePhyoffset"), std::to_string(off2));
  }
  // A time range that excludes everything finds nothing.
  r = Call(RequestCode::QUERY_MESSAGE, {{"topic", "QTopic"},
                                        {"key", "order-1"},
                                        {"maxNum", "32"},
                                        {"beginTimestamp", "0"},
                                        {"endTimestamp", "1"}});
  EXPECT_EQ(r.code, ResponseCode::QUERY_NOT_FOUND);
}

TEST_F(QueryMessageProcessorTest, QueryWithAMissingOrBadFieldNamesIt) {
  for (std::string field : {"topic", "key", "maxNum", "beginTimestamp", "endTimestamp"}) {
    std::map<std::string, std::string> fields = {{"topic", "T"},
                                                 {"key", "k"},
                                                 {"maxNum", "32"},
                                                 {"beginTimestamp", "0"},
                                                 {"endTimestamp", "1"}};
    fields.erase(field);
    RemotingCommand r = Call(RequestCode::QUERY_MESSAGE, fields);
    EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR) << field;
    EXPECT_NE(r.remark.value_or("").find(field), std::string::npos) << r.remark.value_or("");
  }
  RemotingCommand r = Call(RequestCode::QUERY_MESSAGE, {{"topic", "T"},
                                                        {"key", "k"},
                                                        {"maxNum", "lots"},
                                                        {"beginTimestamp", "0"},
                                                        {"endTimestamp", "1"}});
  EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR);
  EXPECT_NE(r.remark.value_or("").find("maxNum"), std::string::npos);
}

TEST_F(QueryMessageProcessorTest, ViewMessageByIdReturnsTheRecordAtTheOffset) {
  const int64_t first =
      Send("VTopic", 0, "one", Properties("7F0000010A2B18B4AAC2123456789990", "a"));
  const int64_t second =
      Send("VTopic", 0, "two", Properties("7F0000010A2B18B4AAC2123456789991", "b"));
  ASSERT_TRUE(first >= 0 && second > first);

  RemotingCommand r = Call(RequestCode::VIEW_MESSAGE_BY_ID, {{"offset", std::to_string(second)}});
  ASSERT_EQ(r.code, ResponseCode::SUCCESS) << r.remark.value_or("");
  std::vector<MessageExt> found = DecodeRecords(r.body);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].body, "two");
  EXPECT_EQ(found[0].topic, "VTopic");
  EXPECT_EQ(found[0].commit_log_offset, second);
  EXPECT_EQ(found[0].store_host.ToString(), BrokerAddr());

  for (const std::string& bad :
       {std::to_string(second + 1), std::to_string(broker_->message_store().GetMaxPhyOffset()),
        std::string("-5")}) {
    r = Call(RequestCode::VIEW_MESSAGE_BY_ID, {{"offset", bad}});
    EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR) << bad;
    EXPECT_NE(r.remark.value_or("").find("can not find message by the offset, " + bad),
              std::string::npos)
        << r.remark.value_or("");
    EXPECT_TRUE(r.body.empty());
  }
  r = Call(RequestCode::VIEW_MESSAGE_BY_ID, {});
  EXPECT_EQ(r.code, ResponseCode::SYSTEM_ERROR);
  EXPECT_NE(r.remark.value_or("").find("offset"), std::string::npos);
  // The broker keeps serving after bad requests.
  r = Call(RequestCode::VIEW_MESSAGE_BY_ID, {{"offset", std::to_string(first)}});
  ASSERT_EQ(r.code, ResponseCode::SUCCESS);
  EXPECT_EQ(DecodeRecords(r.body).at(0).body, "one");
}

}  // namespace
}  // namespace holdfast::broker
