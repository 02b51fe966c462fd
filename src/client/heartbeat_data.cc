#include "client/heartbeat_data.h"

#include <nlohmann/json.hpp>

namespace holdfast::client {

using nlohmann::json;

namespace {

json SubscriptionJson(const SubscriptionData& s) {
  return json{{"classFilterMode", false},
              {"codeSet", s.code_set},
              {"expressionType", s.expression_type},
              {"subString", s.sub_string},
              {"subVersion", s.sub_version},
              {"tagsSet", s.tags_set},
              {"topic", s.topic}};
}

}  // namespace

std::string EncodeHeartbeatData(const HeartbeatData& data) {
  json producers = json::array();
  for (const ProducerData& p : data.producers)
    producers.push_back(json{{"groupName", p.group_name}});
  json consumers = json::array();
  for (const ConsumerData& c : data.consumers) {
    json subs = json::array();
    for (const SubscriptionData& s : c.subscriptions) subs.push_back(SubscriptionJson(s));
    consumers.push_back(json{{"consumeFromWhere", c.consume_from_where},
                             {"consumeType", c.consume_type},
                             {"groupName", c.group_name},
                             {"messageModel", c.message_model},
                             {"subscriptionDataSet", std::move(subs)},
                             {"unitMode", c.unit_mode}});
  }
  // nlohmann::json objects are std::map-backed, so keys come out sorted as fastjson writes them.
  json j{{"clientID", data.client_id},
         {"consumerDataSet", std::move(consumers)},
         {"producerDataSet", std::move(producers)}};
  return j.dump();
}

const char* MessageModelName(MessageModel model) {
  return model == MessageModel::kBroadcasting ? "BROADCASTING" : "CLUSTERING";
}

const char* ConsumeFromWhereName(ConsumeFromWhere where) {
  switch (where) {
    case ConsumeFromWhere::kConsumeFromFirstOffset:
      return "CONSUME_FROM_FIRST_OFFSET";
    case ConsumeFromWhere::kConsumeFromTimestamp:
      return "CONSUME_FROM_TIMESTAMP";
    case ConsumeFromWhere::kConsumeFromLastOffset:
      break;
  }
  return "CONSUME_FROM_LAST_OFFSET";
}

}  // namespace holdfast::client
