// RocketMQ's GetTopicsByClusterRequestHeader, GET_TOPICS_BY_CLUSTER (224), answered with a
// TopicList (topic_list.h). Read by our name server.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct GetTopicsByClusterRequestHeader {
  std::string cluster;

  static constexpr auto Fields() {
    using H = GetTopicsByClusterRequestHeader;
    return std::tuple{HeaderField{"cluster", &H::cluster, Presence::kRequired}};
  }

  bool operator==(const GetTopicsByClusterRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
