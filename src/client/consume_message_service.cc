#include "client/consume_message_service.h"

#include "client/rebalance_impl.h"

namespace holdfast::client {

void ResetRetryTopic(std::vector<MQMessageExt>& msgs, const std::string& group) {
  const std::string retry_topic = RetryTopic(group);
  for (MQMessageExt& msg : msgs) {
    if (msg.topic != retry_topic) continue;
    auto it = msg.properties.find("RETRY_TOPIC");
    if (it != msg.properties.end() && !it->second.empty()) msg.topic = it->second;
  }
}

}  // namespace holdfast::client
