// A consumer's subscription to one topic (RocketMQ's SubscriptionData): the expression as
// written, the tags it names and their Java String.hashCode() values, which the broker uses to
// filter its consume queue and the client uses to re-filter what a pull returns.
//
// Plain value; no synchronisation.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "common/status.h"

namespace holdfast::client {

inline constexpr const char* kSubAll = "*";

struct SubscriptionData {
  std::string topic;
  std::string sub_string;          // "*" or "TagA || TagB", as given (an empty one becomes "*")
  std::set<std::string> tags_set;  // trimmed tags; {"*"} for every tag
  std::set<int32_t> code_set;      // JavaStringHashCode of each tag (empty for "*")
  int64_t sub_version = 0;         // ms timestamp when built
  std::string expression_type = "TAG";

  bool operator==(const SubscriptionData&) const = default;
};

// "*" or "" subscribes to every tag; otherwise tags separated by "||", blanks trimmed, empty
// pieces skipped. InvalidArgument when the topic is empty or the expression names no tag.
Result<SubscriptionData> BuildSubscriptionData(const std::string& topic,
                                               const std::string& expression);

// Whether a message with `tag` passes: every message for "*", else only a tag in tags_set (a
// message without a tag passes only "*").
bool Matches(const SubscriptionData& subscription, const std::string& tag);

}  // namespace holdfast::client
