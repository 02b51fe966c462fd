// RocketMQ's RegisterBrokerBody: the body of REGISTER_BROKER (103), a broker's topic table for the
// name server (docs/protocol.md §5.3). Two forms, chosen by the request header's `compressed`:
//  * JSON: {"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":..,
//    "topicConfigTable":..}};
//  * compressed: one zlib stream of int len + DataVersion JSON, int topicCount, per topic int len +
//    TopicConfig text ("name read write perm filterType [attributes]"), then int len + the filter
//    server list as JSON. 5.x static-topic mappings after that are ignored; topicSysFlag and order
//    are not in the text and decode as defaults.
//
// A plain value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "remoting/protocol/topic_config_serialize_wrapper.h"

namespace holdfast::protocol {

struct RegisterBrokerBody {
  TopicConfigSerializeWrapper topic_config_serialize_wrapper;
  std::vector<std::string> filter_server_list;

  bool operator==(const RegisterBrokerBody&) const = default;
};

// The JSON form.
std::string EncodeRegisterBrokerBody(const RegisterBrokerBody& body);
// An empty body gives an empty result (brokers older than V3_0_11 send none). Corruption when the
// text is not JSON or a field has the wrong type.
Result<RegisterBrokerBody> DecodeRegisterBrokerBody(std::string_view body);

// The compressed form. A body without a DataVersion is written with a default one.
Result<std::string> EncodeCompressedRegisterBrokerBody(const RegisterBrokerBody& body);
// Corruption on bad input or when the stream inflates beyond kMaxInflatedRegisterBody.
inline constexpr size_t kMaxInflatedRegisterBody = size_t{64} * 1024 * 1024;
Result<RegisterBrokerBody> DecodeCompressedRegisterBrokerBody(std::string_view body);

}  // namespace holdfast::protocol
