// libFuzzer target: every decoder of a request or response body in the protocol layer
// (src/remoting/protocol) that reads bytes a peer sent: HeartbeatData, RegisterBrokerBody (JSON
// and compressed), LockBatch request and response, the batch-send body,
// TopicConfigSerializeWrapper, TopicRouteData, ClusterInfo, TopicList, KVTable,
// ConsumerOffsetSerializeWrapper, SubscriptionGroupWrapper and SubscriptionGroupConfig,
// TopicStatsTable, ConsumeStats and GetConsumerListByGroupResponseBody. The first byte picks the
// decoder, the rest is the body.
//
// Any body must give a value or an error status; never a crash, a hang or an out-of-bounds read.
// Checked besides, for every value decoded: each of its encodings (every JsonStyle, compact and
// pretty) decodes back to the same value.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "remoting/protocol/cluster_info.h"
#include "remoting/protocol/consume_stats.h"
#include "remoting/protocol/consumer_offset_serialize_wrapper.h"
#include "remoting/protocol/get_consumer_list_by_group_response_body.h"
#include "remoting/protocol/heartbeat_data.h"
#include "remoting/protocol/kv_table.h"
#include "remoting/protocol/lock_batch_body.h"
#include "remoting/protocol/message_batch.h"
#include "remoting/protocol/register_broker_body.h"
#include "remoting/protocol/subscription_group_config.h"
#include "remoting/protocol/subscription_group_wrapper.h"
#include "remoting/protocol/topic_config_serialize_wrapper.h"
#include "remoting/protocol/topic_list.h"
#include "remoting/protocol/topic_route_data.h"
#include "remoting/protocol/topic_stats_table.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using holdfast::Result;
using holdfast::fuzz::Check;
namespace protocol = holdfast::protocol;

// Decodes `body`; when that succeeds, every encoding of the value must decode to it again.
template <typename T, typename Decode, typename... Encodes>
void RoundTrip(std::string_view body, Decode decode, Encodes... encodes) {
  Result<T> value = decode(body);
  if (!value.ok()) return;
  auto check = [&](const std::string& encoded) {
    Result<T> back = decode(encoded);
    Check(back.ok() && *back == *value);
  };
  (check(encodes(*value)), ...);
}

template <typename T>
auto InStyle(std::string (*encode)(const T&, protocol::JsonStyle), protocol::JsonStyle style) {
  return [encode, style](const T& v) { return encode(v, style); };
}

template <typename T>
auto Pretty(std::string (*encode)(const T&, bool), bool pretty) {
  return [encode, pretty](const T& v) { return encode(v, pretty); };
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  holdfast::fuzz::SilenceLogging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  holdfast::fuzz::FuzzInput input(data, size);
  const uint8_t selector = input.Byte();
  const std::string_view body = input.Rest();
  using protocol::JsonStyle;
  switch (selector % 16) {
    case 0:
      RoundTrip<protocol::HeartbeatData>(body, protocol::DecodeHeartbeatData,
                                         protocol::EncodeHeartbeatData);
      break;
    case 1:
      RoundTrip<protocol::RegisterBrokerBody>(body, protocol::DecodeRegisterBrokerBody,
                                              protocol::EncodeRegisterBrokerBody);
      break;
    case 2: {
      Result<protocol::RegisterBrokerBody> value =
          protocol::DecodeCompressedRegisterBrokerBody(body);
      if (!value.ok()) break;
      // The compressed form may refuse what its text lines cannot carry; what it writes must
      // read back.
      Result<std::string> encoded = protocol::EncodeCompressedRegisterBrokerBody(*value);
      if (!encoded.ok()) break;
      Result<protocol::RegisterBrokerBody> back =
          protocol::DecodeCompressedRegisterBrokerBody(*encoded);
      Check(back.ok() && *back == *value);
      break;
    }
    case 3:
      RoundTrip<protocol::LockBatchRequestBody>(body, protocol::DecodeLockBatchRequestBody,
                                                protocol::EncodeLockBatchRequestBody);
      break;
    case 4:
      RoundTrip<protocol::LockBatchResponseBody>(body, protocol::DecodeLockBatchResponseBody,
                                                 protocol::EncodeLockBatchResponseBody);
      break;
    case 5:
      RoundTrip<std::vector<protocol::BatchMessage>>(body, protocol::DecodeBatchBody,
                                                     protocol::EncodeBatchBody);
      break;
    case 6:
      RoundTrip<protocol::TopicConfigSerializeWrapper>(
          body, protocol::DecodeTopicConfigSerializeWrapper,
          Pretty(protocol::EncodeTopicConfigSerializeWrapper, false),
          Pretty(protocol::EncodeTopicConfigSerializeWrapper, true));
      break;
    case 7:
      RoundTrip<protocol::TopicRouteData>(
          body, protocol::DecodeTopicRouteData,
          InStyle(protocol::EncodeTopicRouteData, JsonStyle::kStandard),
          InStyle(protocol::EncodeTopicRouteData, JsonStyle::kFastjson));
      break;
    case 8:
      RoundTrip<protocol::ClusterInfo>(body, protocol::DecodeClusterInfo,
                                       InStyle(protocol::EncodeClusterInfo, JsonStyle::kStandard),
                                       InStyle(protocol::EncodeClusterInfo, JsonStyle::kFastjson));
      break;
    case 9:
      RoundTrip<protocol::TopicList>(body, protocol::DecodeTopicList, protocol::EncodeTopicList);
      break;
    case 10:
      RoundTrip<protocol::KVTable>(body, protocol::DecodeKvTable, protocol::EncodeKvTable);
      break;
    case 11:
      RoundTrip<protocol::ConsumerOffsetSerializeWrapper>(
          body, protocol::DecodeConsumerOffsetSerializeWrapper,
          protocol::EncodeConsumerOffsetSerializeWrapper);
      break;
    case 12:
      RoundTrip<protocol::SubscriptionGroupWrapper>(
          body, protocol::DecodeSubscriptionGroupWrapper,
          Pretty(protocol::EncodeSubscriptionGroupWrapper, false),
          Pretty(protocol::EncodeSubscriptionGroupWrapper, true));
      break;
    case 13:
      RoundTrip<protocol::SubscriptionGroupConfig>(body, protocol::DecodeSubscriptionGroupConfig,
                                                   protocol::EncodeSubscriptionGroupConfig);
      break;
    case 14:
      RoundTrip<protocol::TopicStatsTable>(body, protocol::DecodeTopicStatsTable,
                                           protocol::EncodeTopicStatsTable);
      RoundTrip<protocol::ConsumeStats>(body, protocol::DecodeConsumeStats,
                                        protocol::EncodeConsumeStats);
      break;
    case 15:
      RoundTrip<protocol::GetConsumerListByGroupResponseBody>(
          body, protocol::DecodeGetConsumerListByGroupResponseBody,
          protocol::EncodeGetConsumerListByGroupResponseBody);
      break;
  }
  return 0;
}
