// RocketMQ's DeleteSubscriptionGroupRequestHeader, DELETE_SUBSCRIPTIONGROUP (207). Read by our
// broker.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct DeleteSubscriptionGroupRequestHeader {
  std::string group_name;
  bool remove_offset = false;  // also forget the group's committed offsets

  static constexpr auto Fields() {
    using H = DeleteSubscriptionGroupRequestHeader;
    return std::tuple{HeaderField{"groupName", &H::group_name, Presence::kRequired},
                      HeaderField{"removeOffset", &H::remove_offset, Presence::kOptional}};
  }

  bool operator==(const DeleteSubscriptionGroupRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
