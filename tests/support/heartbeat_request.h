// A HEART_BEAT request with a HeartbeatData body shaped as the Java client writes it
// (docs/protocol.md §5.2), for broker tests that talk to a broker over the wire.
#pragma once

#include <cstdint>
#include <string>

#include "remoting/remoting_command.h"
#include "remoting/request_code.h"

namespace holdfast::testing {

struct HeartbeatConsumer {
  std::string group;
  std::string topic;  // empty: no subscription
  std::string sub_string = "*";
  int64_t sub_version = 1;
  std::string message_model = "CLUSTERING";
};

// One consumer group (when consumer.group is set) and/or one producer group.
inline remoting::RemotingCommand HeartbeatRequest(const std::string& client_id,
                                                  const HeartbeatConsumer& consumer,
                                                  const std::string& producer_group = "") {
  std::string consumers;
  if (!consumer.group.empty()) {
    std::string subs;
    if (!consumer.topic.empty()) {
      subs = R"({"classFilterMode":false,"codeSet":[],"expressionType":"TAG","subString":")" +
             consumer.sub_string + R"(","subVersion":)" + std::to_string(consumer.sub_version) +
             R"(,"tagsSet":[],"topic":")" + consumer.topic + R"("})";
    }
    consumers =
        R"({"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY",)"
        R"("groupName":")" +
        consumer.group + R"(","messageModel":")" + consumer.message_model +
        R"(","subscriptionDataSet":[)" + subs + R"(],"unitMode":false})";
  }
  std::string producers;
  if (!producer_group.empty()) producers = R"({"groupName":")" + producer_group + R"("})";
  auto req = remoting::RemotingCommand::CreateRequest(remoting::RequestCode::HEART_BEAT);
  req.version = 479;
  req.body = R"({"clientID":")" + client_id + R"(","consumerDataSet":[)" + consumers +
             R"(],"producerDataSet":[)" + producers + "]}";
  return req;
}

}  // namespace holdfast::testing
