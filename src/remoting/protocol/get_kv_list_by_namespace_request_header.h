// RocketMQ's GetKVListByNamespaceRequestHeader, GET_KVLIST_BY_NAMESPACE (219), answered with a
// KVTable (kv_table.h). Read by our name server.
//
// A plain value; the codec is custom_header.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include "remoting/protocol/custom_header.h"

namespace holdfast::protocol {

struct GetKVListByNamespaceRequestHeader {
  std::string name_space;

  static constexpr auto Fields() {
    using H = GetKVListByNamespaceRequestHeader;
    return std::tuple{HeaderField{"namespace", &H::name_space, Presence::kRequired}};
  }

  bool operator==(const GetKVListByNamespaceRequestHeader&) const = default;
};

}  // namespace holdfast::protocol
