// RocketMQ's DeleteTopicFromNamesrvRequestHeader, DELETE_TOPIC_IN_NAMESRV (216). Written by our
// admin tools, read by our name server.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct DeleteTopicFromNamesrvRequestHeader {
  std::string topic;
  std::string cluster_name;  // empty: every cluster

  static constexpr auto Fields() {
    using H = DeleteTopicFromNamesrvRequestHeader;
    return std::tuple{HeaderField{"topic", &H::topic, Presence::kRequired},
                      HeaderField{"clusterName", &H::cluster_name, Presence::kOptional}};
  }

  bool operator==(const DeleteTopicFromNamesrvRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
