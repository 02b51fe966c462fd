// How a consumer builds its subscriptions: the expression a user gives Subscribe() checked and
// turned into the protocol's SubscriptionData (remoting/protocol/subscription_data.h: the type,
// the tag-expression parser and the tag match, shared with the broker), stamped with the time.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "remoting/protocol/subscription_data.h"

namespace holdfast::client {

using protocol::kSubAll;
using protocol::SubscriptionData;

// A TAG subscription to `topic`, sub_version now: "*" or "" subscribes to every tag; otherwise
// tags separated by "||", blanks trimmed, empty pieces skipped. InvalidArgument when the topic is
// empty or the expression names no tag ("|| ||").
Result<SubscriptionData> BuildSubscriptionData(const std::string& topic,
                                               std::string_view expression);

// Whether a message with `tag` passes (protocol::MatchesTag).
inline bool Matches(const SubscriptionData& subscription, std::string_view tag) {
  return protocol::MatchesTag(subscription, tag);
}

}  // namespace holdfast::client
