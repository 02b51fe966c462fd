// RocketMQ's HeartbeatData, the HEART_BEAT (34) body (docs/protocol.md §5.2): which producer and
// consumer groups a client id belongs to, and each consumer group's subscriptions. Written by our
// client, read by our broker, and by it from every RocketMQ client.
//
// Encoding writes what the Java client writes: keys in fastjson's (alphabetical) order, enums by
// name, sets as arrays, subVersion as a number, classFilterMode false. Decoding accepts what real
// clients send: enums by Java name or by ordinal (C++ 2.x clients), subVersion as a number (Java)
// or a string (C++), a missing expressionType as "TAG". Tags and hash codes of a TAG subscription
// are rebuilt from subString (see SubscriptionData::FromJson).
//
// Message models are the public `holdfast::MessageModel` (one enum for the API and the wire;
// BROADCASTING is Java ordinal 0, CLUSTERING 1). ConsumeFromWhere is kept as its Java ordinal: the
// wire has six values, the public API offers three.
//
// Plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "holdfast/consumer_options.h"
#include "remoting/protocol/subscription_data.h"

namespace holdfast::protocol {

// Java ordinals.
enum class ConsumeType : int32_t { kConsumeActively = 0, kConsumePassively = 1, kConsumePop = 2 };

std::string_view ConsumeTypeName(ConsumeType type);     // "CONSUME_ACTIVELY", ...
std::string_view MessageModelName(MessageModel model);  // "BROADCASTING", "CLUSTERING"
// The Java name of a ConsumeFromWhere ordinal (0 CONSUME_FROM_LAST_OFFSET ..
// 5 CONSUME_FROM_TIMESTAMP); "" for an ordinal Java does not have.
std::string_view ConsumeFromWhereName(int32_t ordinal);
// The Java ordinal of the public option.
int32_t ConsumeFromWhereOrdinal(ConsumeFromWhere where);

struct ConsumerData {
  std::string group_name;  // groupName
  ConsumeType consume_type = ConsumeType::kConsumePassively;
  MessageModel message_model = MessageModel::kClustering;
  int32_t consume_from_where = 0;  // Java ConsumeFromWhere ordinal
  std::vector<SubscriptionData> subscription_data_set;
  bool unit_mode = false;

  bool operator==(const ConsumerData&) const = default;
};

struct ProducerData {
  std::string group_name;  // groupName

  bool operator==(const ProducerData&) const = default;
};

struct HeartbeatData {
  std::string client_id;  // clientID
  std::vector<ProducerData> producer_data_set;
  std::vector<ConsumerData> consumer_data_set;

  bool operator==(const HeartbeatData&) const = default;
};

std::string EncodeHeartbeatData(const HeartbeatData& data);

// Corruption naming the field (for example "HeartbeatData consumerDataSet[0].messageModel has
// the unknown value \"X\"") when the body is not JSON, clientID or a groupName is missing, or a
// field has a wrong type or value.
Result<HeartbeatData> DecodeHeartbeatData(std::string_view body);

}  // namespace holdfast::protocol
