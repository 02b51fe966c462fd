// RocketMQ's HeartbeatData, the HEART_BEAT (34) body (docs/protocol.md §5.2), and its parts:
// ProducerData, ConsumerData, SubscriptionData, with the consumer enums.
//
// Decoding accepts what real clients send: enums by name (Java) or by ordinal (C++ 2.x),
// subVersion as a number (Java) or a string (C++), a missing expressionType as "TAG". The tag
// hash codes of a TAG subscription are recomputed from subString (C++ clients send atoi(tag) in
// codeSet, docs/protocol.md §5.2), so `code_set` always holds Java String.hashCode() values.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace holdfast::broker {

// Java ordinals.
enum class ConsumeType : int32_t { kConsumeActively = 0, kConsumePassively = 1, kConsumePop = 2 };
enum class MessageModel : int32_t { kBroadcasting = 0, kClustering = 1 };
// CONSUME_FROM_LAST_OFFSET(0) .. CONSUME_FROM_TIMESTAMP(5), kept as the ordinal.
using ConsumeFromWhere = int32_t;

std::string_view ConsumeTypeName(ConsumeType t);    // "CONSUME_ACTIVELY", ...
std::string_view MessageModelName(MessageModel m);  // "BROADCASTING", "CLUSTERING"

inline constexpr std::string_view kSubAll = "*";
inline constexpr std::string_view kExpressionTypeTag = "TAG";

struct SubscriptionData {
  std::string topic;
  std::string sub_string = "*";         // subString
  std::set<std::string> tags_set;       // tagsSet
  std::set<int32_t> code_set;           // codeSet (Java String.hashCode of each tag)
  int64_t sub_version = 0;              // subVersion
  std::string expression_type = "TAG";  // expressionType

  bool operator==(const SubscriptionData&) const = default;
};

// RocketMQ's FilterAPI.build: a TAG subscription from "*" / "A || B" with tags and hash codes;
// any other expression type keeps only subString. sub_version is the given one.
SubscriptionData BuildSubscriptionData(std::string topic, std::string_view sub_string,
                                       std::string_view expression_type, int64_t sub_version);

struct ConsumerData {
  std::string group_name;  // groupName
  ConsumeType consume_type = ConsumeType::kConsumePassively;
  MessageModel message_model = MessageModel::kClustering;
  ConsumeFromWhere consume_from_where = 0;
  std::vector<SubscriptionData> subscription_data_set;
  bool unit_mode = false;
};

struct ProducerData {
  std::string group_name;  // groupName
};

struct HeartbeatData {
  std::string client_id;  // clientID
  std::vector<ProducerData> producer_data_set;
  std::vector<ConsumerData> consumer_data_set;
};

// InvalidArgument naming the field (for example "consumerDataSet[0].messageModel: unknown value
// \"X\"") when the body is not JSON, clientID is missing, or a field has a wrong type or value.
Result<HeartbeatData> DecodeHeartbeatData(std::string_view body);

}  // namespace holdfast::broker
