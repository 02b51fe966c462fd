// RocketMQ's SerializeType: how a frame's header is written (docs/protocol.md §1.2). It travels in
// the high byte of the header-length word.
#pragma once

#include <cstdint>
#include <string_view>

namespace holdfast::remoting {

enum class SerializeType : uint8_t {
  kJson = 0,      // header is a JSON object (docs/protocol.md §1.3)
  kRocketmq = 1,  // header is RocketMQ's binary layout (docs/protocol.md §1.4)
};

// RocketMQ's name, as in the JSON key serializeTypeCurrentRPC: "JSON" or "ROCKETMQ".
inline std::string_view SerializeTypeName(SerializeType type) {
  return type == SerializeType::kRocketmq ? "ROCKETMQ" : "JSON";
}

}  // namespace holdfast::remoting
