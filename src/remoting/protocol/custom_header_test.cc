#include "remoting/protocol/custom_header.h"

#include <gtest/gtest.h>

#include "remoting/protocol/consumer_send_msg_back_request_header.h"
#include "remoting/protocol/create_topic_request_header.h"
#include "remoting/protocol/delete_subscription_group_request_header.h"
#include "remoting/protocol/delete_topic_from_namesrv_request_header.h"
#include "remoting/protocol/delete_topic_request_header.h"
#include "remoting/protocol/get_consume_stats_request_header.h"
#include "remoting/protocol/get_consumer_list_by_group_request_header.h"
#include "remoting/protocol/get_kv_config_response_header.h"
#include "remoting/protocol/get_kv_list_by_namespace_request_header.h"
#include "remoting/protocol/get_route_info_request_header.h"
#include "remoting/protocol/get_topic_stats_info_request_header.h"
#include "remoting/protocol/get_topics_by_cluster_request_header.h"
#include "remoting/protocol/kv_config_request_header.h"
#include "remoting/protocol/notify_consumer_ids_changed_request_header.h"
#include "remoting/protocol/offset_response_header.h"
#include "remoting/protocol/pull_message_request_header.h"
#include "remoting/protocol/pull_message_response_header.h"
#include "remoting/protocol/pull_sys_flag.h"
#include "remoting/protocol/put_kv_config_request_header.h"
#include "remoting/protocol/query_consumer_offset_request_header.h"
#include "remoting/protocol/query_data_version_request_header.h"
#include "remoting/protocol/query_data_version_response_header.h"
#include "remoting/protocol/query_message_request_header.h"
#include "remoting/protocol/query_message_response_header.h"
#include "remoting/protocol/register_broker_request_header.h"
#include "remoting/protocol/register_broker_response_header.h"
#include "remoting/protocol/search_offset_request_header.h"
#include "remoting/protocol/send_message_request_header.h"
#include "remoting/protocol/send_message_response_header.h"
#include "remoting/protocol/topic_queue_request_header.h"
#include "remoting/protocol/unregister_broker_request_header.h"
#include "remoting/protocol/unregister_client_request_header.h"
#include "remoting/protocol/update_consumer_offset_request_header.h"
#include "remoting/protocol/view_message_request_header.h"
#include "remoting/request_code.h"

namespace holdfast::protocol {
namespace {

using remoting::RemotingCommand;
using remoting::RequestCode;

template <typename Header>
Header RoundTrip(const Header& header) {
  RemotingCommand command;
  EncodeCustomHeader(header, &command);
  Result<Header> back = DecodeCustomHeader<Header>(command);
  EXPECT_TRUE(back.ok()) << back.status().ToString();
  return back.ok() ? *back : Header{};
}

RemotingCommand WithFields(int32_t code, remoting::ExtFields fields) {
  RemotingCommand command;
  command.code = code;
  command.ext_fields = std::move(fields);
  return command;
}

TEST(CustomHeaderTest, SendHeaderV2DecodesTheJavaClientsShortKeys) {
  // SEND_MESSAGE_V2's extFields as DefaultMQProducer 4.9 writes them (tests/conformance).
  RemotingCommand java = WithFields(RequestCode::SEND_MESSAGE_V2,
                                    {{"a", "please_rename_unique_group_name"},
                                     {"b", "TopicA"},
                                     {"c", "TBW102"},
                                     {"d", "4"},
                                     {"e", "1"},
                                     {"f", "0"},
                                     {"g", "1700000000000"},
                                     {"h", "0"},
                                     {"i",
                                      "UNIQ_KEY\x01"
                                      "7F0000012A3B18B4AAC27D4E5F600000\x02WAIT\x01true\x02"},
                                     {"j", "0"},
                                     {"k", "false"},
                                     {"m", "false"}});
  Result<SendMessageRequestHeader> h = DecodeSendMessageRequestHeader(java);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->producer_group, "please_rename_unique_group_name");
  EXPECT_EQ(h->topic, "TopicA");
  EXPECT_EQ(h->default_topic, "TBW102");
  EXPECT_EQ(h->default_topic_queue_nums, 4);
  EXPECT_EQ(h->queue_id, 1);
  EXPECT_EQ(h->born_timestamp, 1700000000000);
  EXPECT_FALSE(h->max_reconsume_times.has_value());
  EXPECT_FALSE(h->batch);

  // Re-encoded under the same code, the header gives the Java client's fields back.
  RemotingCommand again = WithFields(RequestCode::SEND_MESSAGE_V2, {});
  EncodeSendMessageRequestHeader(*h, &again);
  EXPECT_EQ(again.ext_fields, java.ext_fields);
}

TEST(CustomHeaderTest, SendHeaderRoundTripsInBothForms) {
  SendMessageRequestHeader h;
  h.producer_group = "PG";
  h.topic = "T";
  h.default_topic = "TBW102";
  h.queue_id = 3;
  h.sys_flag = 1;
  h.born_timestamp = 42;
  h.flag = 7;
  h.properties = "K\x01V\x02";
  h.reconsume_times = 2;
  h.unit_mode = true;
  h.max_reconsume_times = 16;
  h.batch = true;
  h.broker_name = "broker-a";
  for (int32_t code :
       {RequestCode::SEND_MESSAGE, RequestCode::SEND_MESSAGE_V2, RequestCode::SEND_BATCH_MESSAGE}) {
    RemotingCommand command = WithFields(code, {});
    EncodeSendMessageRequestHeader(h, &command);
    EXPECT_EQ(command.FindExtField("a") != nullptr, UsesSendHeaderV2(code)) << code;
    Result<SendMessageRequestHeader> back = DecodeSendMessageRequestHeader(command);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, h) << code;
  }
}

TEST(CustomHeaderTest, MissingAndBadFieldsAreNamedAsJavaNamesThem) {
  RemotingCommand v2 = WithFields(RequestCode::SEND_MESSAGE_V2, {{"a", "PG"}});
  Result<SendMessageRequestHeader> h = DecodeSendMessageRequestHeader(v2);
  ASSERT_EQ(h.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(h.status().message(), "the custom field <b> is null");

  RemotingCommand pull =
      WithFields(RequestCode::PULL_MESSAGE,
                 {{"consumerGroup", "G"}, {"topic", "T"}, {"queueId", "x1"}, {"queueOffset", "0"}});
  Result<PullMessageRequestHeader> p = DecodePullMessageRequestHeader(pull);
  ASSERT_EQ(p.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(p.status().message(), "the custom field <queueId> is not a number: x1");
}

TEST(CustomHeaderTest, PullHeaderDecodesTheJavaConsumersFields) {
  RemotingCommand java = WithFields(RequestCode::PULL_MESSAGE, {{"commitOffset", "0"},
                                                                {"consumerGroup", "cg_java"},
                                                                {"expressionType", "TAG"},
                                                                {"maxMsgNums", "32"},
                                                                {"queueId", "1"},
                                                                {"queueOffset", "2"},
                                                                {"subVersion", "1700000000000"},
                                                                {"suspendTimeoutMillis", "15000"},
                                                                {"sysFlag", "3"},
                                                                {"topic", "PullTopic"}});
  Result<PullMessageRequestHeader> h = DecodePullMessageRequestHeader(java);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->consumer_group, "cg_java");
  EXPECT_EQ(h->queue_offset, 2);
  EXPECT_EQ(h->sys_flag, kPullFlagCommitOffset | kPullFlagSuspend);
  EXPECT_EQ(h->suspend_timeout_millis, 15000);
  EXPECT_TRUE(h->subscription.empty());
  EXPECT_FALSE(h->max_msg_bytes.has_value());
  RemotingCommand again;
  EncodePullMessageRequestHeader(*h, &again);
  EXPECT_EQ(again.ext_fields, java.ext_fields);

  // 5.x's byte cap: a value that is not positive asks for none.
  java.SetExtField("maxMsgBytes", "0");
  EXPECT_FALSE(DecodePullMessageRequestHeader(java)->max_msg_bytes.has_value());
  java.SetExtField("maxMsgBytes", "1024");
  EXPECT_EQ(DecodePullMessageRequestHeader(java)->max_msg_bytes, 1024);
}

TEST(CustomHeaderTest, BooleansReadAsJavaParseBooleanAndOptionalsStayAbsent) {
  Result<QueryConsumerOffsetRequestHeader> q = DecodeCustomHeader<QueryConsumerOffsetRequestHeader>(
      WithFields(RequestCode::QUERY_CONSUMER_OFFSET,
                 {{"consumerGroup", "G"}, {"topic", "T"}, {"queueId", "0"}}));
  ASSERT_TRUE(q.ok());
  EXPECT_FALSE(q->set_zero_if_not_found.has_value());
  q = DecodeCustomHeader<QueryConsumerOffsetRequestHeader>(WithFields(
      RequestCode::QUERY_CONSUMER_OFFSET,
      {{"consumerGroup", "G"}, {"topic", "T"}, {"queueId", "0"}, {"setZeroIfNotFound", "TRUE"}}));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->set_zero_if_not_found, true);

  Result<RegisterBrokerRequestHeader> r = DecodeCustomHeader<RegisterBrokerRequestHeader>(
      WithFields(RequestCode::REGISTER_BROKER, {{"brokerName", "b"},
                                                {"brokerAddr", "a:1"},
                                                {"clusterName", "c"},
                                                {"haServerAddr", "a:2"},
                                                {"brokerId", "0"},
                                                {"compressed", "yes"}}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->compressed);
  EXPECT_FALSE(r->body_crc32.has_value());
}

TEST(CustomHeaderTest, EveryHeaderRoundTrips) {
  PullMessageRequestHeader pull;
  pull.consumer_group = "G";
  pull.topic = "T";
  pull.queue_id = 2;
  pull.queue_offset = 100;
  pull.sys_flag = kPullFlagSuspend | kPullFlagSubscription;
  pull.suspend_timeout_millis = 15000;
  pull.subscription = "A || B";
  pull.sub_version = 9;
  pull.expression_type = "TAG";
  pull.max_msg_bytes = 4096;
  pull.broker_name = "broker-a";
  EXPECT_EQ(RoundTrip(pull), pull);

  EXPECT_EQ(RoundTrip(SendMessageResponseHeader{"7F00", 1, 5, "tx", "DefaultRegion", "true"}),
            (SendMessageResponseHeader{"7F00", 1, 5, "tx", "DefaultRegion", "true"}));
  EXPECT_EQ(RoundTrip(PullMessageResponseHeader{0, 3, 0, 3}),
            (PullMessageResponseHeader{0, 3, 0, 3}));
  EXPECT_EQ(RoundTrip(QueryConsumerOffsetRequestHeader{"G", "T", 1, false}),
            (QueryConsumerOffsetRequestHeader{"G", "T", 1, false}));
  EXPECT_EQ(RoundTrip(UpdateConsumerOffsetRequestHeader{"G", "T", 1, 77}),
            (UpdateConsumerOffsetRequestHeader{"G", "T", 1, 77}));
  EXPECT_EQ(RoundTrip(TopicQueueRequestHeader{"T", 3}), (TopicQueueRequestHeader{"T", 3}));
  EXPECT_EQ(RoundTrip(SearchOffsetRequestHeader{"T", 3, 1700000000000}),
            (SearchOffsetRequestHeader{"T", 3, 1700000000000}));
  EXPECT_EQ(RoundTrip(OffsetResponseHeader{-1}), OffsetResponseHeader{-1});
  EXPECT_EQ(RoundTrip(GetConsumerListByGroupRequestHeader{"G"}),
            GetConsumerListByGroupRequestHeader{"G"});
  EXPECT_EQ(RoundTrip(UnregisterClientRequestHeader{"c", "", "G"}),
            (UnregisterClientRequestHeader{"c", "", "G"}));
  EXPECT_EQ(RoundTrip(NotifyConsumerIdsChangedRequestHeader{"G"}),
            NotifyConsumerIdsChangedRequestHeader{"G"});
  EXPECT_EQ(RoundTrip(ConsumerSendMsgBackRequestHeader{123, "G", 3, "id", "T", false, 16}),
            (ConsumerSendMsgBackRequestHeader{123, "G", 3, "id", "T", false, 16}));
  EXPECT_EQ(RoundTrip(RegisterBrokerRequestHeader{"b", "a:1", "c", "a:2", 0, 30000, true, false,
                                                  int32_t{0x7FFFFFFF}}),
            (RegisterBrokerRequestHeader{"b", "a:1", "c", "a:2", 0, 30000, true, false,
                                         int32_t{0x7FFFFFFF}}));
  EXPECT_EQ(RoundTrip(RegisterBrokerResponseHeader{"a:2", "a:1"}),
            (RegisterBrokerResponseHeader{"a:2", "a:1"}));
  EXPECT_EQ(RoundTrip(UnregisterBrokerRequestHeader{"b", "a:1", "c", 1}),
            (UnregisterBrokerRequestHeader{"b", "a:1", "c", 1}));
  EXPECT_EQ(RoundTrip(GetRouteInfoRequestHeader{"T", true}),
            (GetRouteInfoRequestHeader{"T", true}));
  EXPECT_EQ(RoundTrip(QueryDataVersionRequestHeader{"b", "a:1", "c", 0}),
            (QueryDataVersionRequestHeader{"b", "a:1", "c", 0}));
  EXPECT_EQ(RoundTrip(QueryDataVersionResponseHeader{true}), QueryDataVersionResponseHeader{true});
  EXPECT_EQ(RoundTrip(PutKVConfigRequestHeader{"ns", "k", "v"}),
            (PutKVConfigRequestHeader{"ns", "k", "v"}));
  EXPECT_EQ(RoundTrip(KVConfigRequestHeader{"ns", "k"}), (KVConfigRequestHeader{"ns", "k"}));
  EXPECT_EQ(RoundTrip(GetKVConfigResponseHeader{"v"}), GetKVConfigResponseHeader{"v"});
  EXPECT_EQ(RoundTrip(GetKVListByNamespaceRequestHeader{"ns"}),
            GetKVListByNamespaceRequestHeader{"ns"});
  EXPECT_EQ(RoundTrip(DeleteTopicFromNamesrvRequestHeader{"T", "c"}),
            (DeleteTopicFromNamesrvRequestHeader{"T", "c"}));
  EXPECT_EQ(RoundTrip(GetTopicsByClusterRequestHeader{"c"}), GetTopicsByClusterRequestHeader{"c"});
  EXPECT_EQ(RoundTrip(CreateTopicRequestHeader{"T", "TBW102", 8, 4, 6, "SINGLE_TAG", 0, true}),
            (CreateTopicRequestHeader{"T", "TBW102", 8, 4, 6, "SINGLE_TAG", 0, true}));
  EXPECT_EQ(RoundTrip(DeleteTopicRequestHeader{"T"}), DeleteTopicRequestHeader{"T"});
  EXPECT_EQ(RoundTrip(DeleteSubscriptionGroupRequestHeader{"G", true}),
            (DeleteSubscriptionGroupRequestHeader{"G", true}));
  EXPECT_EQ(RoundTrip(GetTopicStatsInfoRequestHeader{"T"}), GetTopicStatsInfoRequestHeader{"T"});
  EXPECT_EQ(RoundTrip(GetConsumeStatsRequestHeader{"G", ""}),
            (GetConsumeStatsRequestHeader{"G", ""}));
  EXPECT_EQ(RoundTrip(QueryMessageRequestHeader{"T", "k", 32, 0, 1700000000000, true}),
            (QueryMessageRequestHeader{"T", "k", 32, 0, 1700000000000, true}));
  EXPECT_EQ(RoundTrip(QueryMessageResponseHeader{5, 6}), (QueryMessageResponseHeader{5, 6}));
  EXPECT_EQ(RoundTrip(ViewMessageRequestHeader{1234}), ViewMessageRequestHeader{1234});
}

}  // namespace
}  // namespace holdfast::protocol
