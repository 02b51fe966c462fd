#include "client/subscription_data.h"

#include "common/clock.h"
#include "common/java_hash.h"

namespace holdfast::client {
namespace {

std::string Trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace

Result<SubscriptionData> BuildSubscriptionData(const std::string& topic,
                                               const std::string& expression) {
  if (topic.empty()) return Status::InvalidArgument("subscription topic is empty");
  SubscriptionData data;
  data.topic = topic;
  data.sub_version = NowMillis();
  std::string trimmed = Trim(expression);
  if (trimmed.empty() || trimmed == kSubAll) {
    data.sub_string = kSubAll;
    data.tags_set.insert(kSubAll);
    return data;
  }
  data.sub_string = expression;
  std::string_view rest = expression;
  while (true) {
    size_t pos = rest.find("||");
    std::string tag = Trim(rest.substr(0, pos));
    if (!tag.empty()) {
      data.code_set.insert(JavaStringHashCode(tag));
      data.tags_set.insert(std::move(tag));
    }
    if (pos == std::string_view::npos) break;
    rest.remove_prefix(pos + 2);
  }
  if (data.tags_set.empty()) {
    return Status::InvalidArgument("subscription expression '" + expression + "' for topic " +
                                   topic + " names no tag");
  }
  return data;
}

bool Matches(const SubscriptionData& subscription, const std::string& tag) {
  if (subscription.tags_set.count(kSubAll) > 0) return true;
  return subscription.tags_set.count(tag) > 0;
}

}  // namespace holdfast::client
