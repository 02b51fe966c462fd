// libFuzzer target: the custom header codec (remoting/protocol/custom_header.h) on the request and
// response headers a peer sends: the send header in both key forms (V1 long keys, V2 "a".."n"), the
// pull header with its maxMsgBytes rule, and every other typed header of the protocol layer.
//
// Input: a byte choosing the header (and, for the send header, its request code), then entries,
// each a key byte, a value length byte and the value. A key byte below 0x80 names one of the
// header's own keys (long or short), so the fuzzer reaches the fields without guessing names;
// otherwise its low bits give the length of a raw key taken from the input.
//
// Any extFields must give a header or an InvalidArgument; never a crash. Checked besides: a decoded
// header, encoded into a fresh command and decoded again, is the same header.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

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
#include "tests/fuzz/fuzz_support.h"

namespace {

using holdfast::Result;
using holdfast::fuzz::Check;
using holdfast::fuzz::FuzzInput;
using holdfast::remoting::RemotingCommand;
using holdfast::remoting::RequestCode;
namespace protocol = holdfast::protocol;

// The header's keys in both styles, for the key bytes to pick from.
template <typename Header>
std::vector<std::string_view> KeysOf() {
  std::vector<std::string_view> keys;
  std::apply(
      [&](const auto&... field) {
        (keys.push_back(field.KeyFor(protocol::KeyStyle::kLong)), ...);
        (keys.push_back(field.KeyFor(protocol::KeyStyle::kShort)), ...);
      },
      Header::Fields());
  return keys;
}

void FillExtFields(FuzzInput& input, const std::vector<std::string_view>& keys,
                   RemotingCommand* command) {
  while (!input.empty()) {
    const uint8_t key_byte = input.Byte();
    std::string key = key_byte < 0x80 ? std::string(keys[key_byte % keys.size()])
                                      : std::string(input.Take(key_byte & 0x0f));
    std::string value(input.Take(input.Byte()));
    command->SetExtField(std::move(key), std::move(value));
  }
}

template <typename Header, typename Decode, typename Encode>
void RoundTrip(FuzzInput& input, int32_t code, Decode decode, Encode encode) {
  RemotingCommand request;
  request.code = code;
  FillExtFields(input, KeysOf<Header>(), &request);
  Result<Header> header = decode(request);
  if (!header.ok()) {
    Check(header.status().code() == holdfast::Status::Code::kInvalidArgument);
    return;
  }
  RemotingCommand again;
  again.code = code;
  encode(*header, &again);
  Result<Header> back = decode(again);
  Check(back.ok() && *back == *header);
}

template <typename Header>
void RoundTrip(FuzzInput& input) {
  RoundTrip<Header>(
      input, 0, [](const RemotingCommand& c) { return protocol::DecodeCustomHeader<Header>(c); },
      [](const Header& h, RemotingCommand* c) { protocol::EncodeCustomHeader(h, c); });
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  holdfast::fuzz::SilenceLogging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput input(data, size);
  const uint8_t selector = input.Byte();
  switch (selector % 32) {
    case 0:
    case 1:
    case 2: {
      constexpr int32_t kCodes[] = {RequestCode::SEND_MESSAGE, RequestCode::SEND_MESSAGE_V2,
                                    RequestCode::SEND_BATCH_MESSAGE};
      RoundTrip<protocol::SendMessageRequestHeader>(input, kCodes[selector % 32],
                                                    protocol::DecodeSendMessageRequestHeader,
                                                    protocol::EncodeSendMessageRequestHeader);
      break;
    }
    case 3:
      RoundTrip<protocol::PullMessageRequestHeader>(input, RequestCode::PULL_MESSAGE,
                                                    protocol::DecodePullMessageRequestHeader,
                                                    protocol::EncodePullMessageRequestHeader);
      break;
    case 4:
      RoundTrip<protocol::SendMessageResponseHeader>(input);
      break;
    case 5:
      RoundTrip<protocol::PullMessageResponseHeader>(input);
      break;
    case 6:
      RoundTrip<protocol::ConsumerSendMsgBackRequestHeader>(input);
      break;
    case 7:
      RoundTrip<protocol::CreateTopicRequestHeader>(input);
      break;
    case 8:
      RoundTrip<protocol::DeleteSubscriptionGroupRequestHeader>(input);
      break;
    case 9:
      RoundTrip<protocol::DeleteTopicFromNamesrvRequestHeader>(input);
      break;
    case 10:
      RoundTrip<protocol::DeleteTopicRequestHeader>(input);
      break;
    case 11:
      RoundTrip<protocol::GetConsumeStatsRequestHeader>(input);
      break;
    case 12:
      RoundTrip<protocol::GetConsumerListByGroupRequestHeader>(input);
      break;
    case 13:
      RoundTrip<protocol::GetKVConfigResponseHeader>(input);
      break;
    case 14:
      RoundTrip<protocol::GetKVListByNamespaceRequestHeader>(input);
      break;
    case 15:
      RoundTrip<protocol::GetRouteInfoRequestHeader>(input);
      break;
    case 16:
      RoundTrip<protocol::GetTopicStatsInfoRequestHeader>(input);
      break;
    case 17:
      RoundTrip<protocol::GetTopicsByClusterRequestHeader>(input);
      break;
    case 18:
      RoundTrip<protocol::KVConfigRequestHeader>(input);
      break;
    case 19:
      RoundTrip<protocol::NotifyConsumerIdsChangedRequestHeader>(input);
      break;
    case 20:
      RoundTrip<protocol::OffsetResponseHeader>(input);
      break;
    case 21:
      RoundTrip<protocol::PutKVConfigRequestHeader>(input);
      break;
    case 22:
      RoundTrip<protocol::QueryConsumerOffsetRequestHeader>(input);
      break;
    case 23:
      RoundTrip<protocol::QueryDataVersionRequestHeader>(input);
      break;
    case 24:
      RoundTrip<protocol::QueryDataVersionResponseHeader>(input);
      break;
    case 25:
      RoundTrip<protocol::QueryMessageRequestHeader>(input);
      break;
    case 26:
      RoundTrip<protocol::QueryMessageResponseHeader>(input);
      break;
    case 27:
      RoundTrip<protocol::RegisterBrokerRequestHeader>(input);
      break;
    case 28:
      RoundTrip<protocol::RegisterBrokerResponseHeader>(input);
      break;
    case 29:
      RoundTrip<protocol::SearchOffsetRequestHeader>(input);
      break;
    case 30: {
      FuzzInput same = input;
      RoundTrip<protocol::TopicQueueRequestHeader>(input);
      RoundTrip<protocol::UnregisterBrokerRequestHeader>(same);
      break;
    }
    case 31: {
      FuzzInput same = input;
      FuzzInput again = input;
      RoundTrip<protocol::UnregisterClientRequestHeader>(input);
      RoundTrip<protocol::UpdateConsumerOffsetRequestHeader>(same);
      RoundTrip<protocol::ViewMessageRequestHeader>(again);
      break;
    }
  }
  return 0;
}
