// RocketMQ's GetConsumerListByGroupResponseBody: {"consumerIdList":[clientId,..]}, the answer to
// GET_CONSUMER_LIST_BY_GROUP. Written by our broker, read by our consumers (rebalance).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace holdfast::protocol {

struct GetConsumerListByGroupResponseBody {
  std::vector<std::string> consumer_id_list;

  bool operator==(const GetConsumerListByGroupResponseBody&) const = default;
};

std::string EncodeGetConsumerListByGroupResponseBody(
    const GetConsumerListByGroupResponseBody& body);
// Corruption unless the body is {"consumerIdList":[string..]}.
Result<GetConsumerListByGroupResponseBody> DecodeGetConsumerListByGroupResponseBody(
    std::string_view body);

}  // namespace holdfast::protocol
