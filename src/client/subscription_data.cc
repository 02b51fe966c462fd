#include "client/subscription_data.h"

#include "common/clock.h"

namespace holdfast::client {

Result<SubscriptionData> BuildSubscriptionData(const std::string& topic,
                                               std::string_view expression) {
  if (topic.empty()) return Status::InvalidArgument("subscription topic is empty");
  SubscriptionData data =
      protocol::BuildSubscriptionData(topic, expression, protocol::kExpressionTypeTag, NowMillis());
  // FilterAPI reads a list that names no tag ("|| ||") as "*"; from a user it is a mistake.
  if (data.tags_set.empty() && expression.find("||") != std::string_view::npos) {
    return Status::InvalidArgument("subscription expression '" + std::string(expression) +
                                   "' for topic " + topic + " names no tag");
  }
  return data;
}

}  // namespace holdfast::client
