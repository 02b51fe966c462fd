// RocketMQ's KVTable: {"table":{key:value,..}}. The name server's GET_KVLIST_BY_NAMESPACE answer
// and REGISTER_BROKER's order-topic answer, and the broker's GET_BROKER_RUNTIME_INFO answer (read
// by the admin tools).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace holdfast::protocol {

struct KVTable {
  std::map<std::string, std::string> table;

  bool operator==(const KVTable&) const = default;
};

std::string EncodeKvTable(const KVTable& table);
// Corruption when the body is not {"table":{..}}; values that are not strings are kept as their
// JSON text (fastjson peers may write numbers).
Result<KVTable> DecodeKvTable(std::string_view body);

}  // namespace holdfast::protocol
