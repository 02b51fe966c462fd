// The HEART_BEAT body a client sends every broker (RocketMQ's HeartbeatData, docs/protocol.md
// §5.2): which producer and consumer groups this client id belongs to, and each consumer group's
// subscriptions. The broker learns a group's members and their subscriptions only from it.
//
// Plain values; no synchronisation.
#pragma once

#include <string>
#include <vector>

#include "client/subscription_data.h"
#include "holdfast/consumer_options.h"

namespace holdfast::client {

inline constexpr const char* kConsumeActively = "CONSUME_ACTIVELY";    // pull consumers
inline constexpr const char* kConsumePassively = "CONSUME_PASSIVELY";  // push consumers

struct ProducerData {
  std::string group_name;
};

struct ConsumerData {
  std::string group_name;
  std::string consume_type = kConsumePassively;  // kConsumeActively / kConsumePassively
  std::string message_model = "CLUSTERING";      // "CLUSTERING" / "BROADCASTING"
  std::string consume_from_where = "CONSUME_FROM_LAST_OFFSET";
  std::vector<SubscriptionData> subscriptions;
  bool unit_mode = false;
};

struct HeartbeatData {
  std::string client_id;
  std::vector<ProducerData> producers;
  std::vector<ConsumerData> consumers;
};

// The JSON the Java client sends: keys in alphabetical order (fastjson), enums as names, sets as
// arrays, subVersion as a number, classFilterMode false.
std::string EncodeHeartbeatData(const HeartbeatData& data);

// RocketMQ's enum names for the public options.
const char* MessageModelName(MessageModel model);          // "CLUSTERING" / "BROADCASTING"
const char* ConsumeFromWhereName(ConsumeFromWhere where);  // "CONSUME_FROM_LAST_OFFSET", ...

}  // namespace holdfast::client
