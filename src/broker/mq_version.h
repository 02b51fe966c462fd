// The MQVersion ordinal this broker claims on what it sends (docs/protocol.md §1.6): Java clients
// take a HEART_BEAT response's version as the broker's version, so it must be real
// (docs/protocol.md §10 item 9).
#pragma once

#include <cstdint>

namespace holdfast::broker {

inline constexpr int32_t kBrokerVersion = 479;  // V5_3_3
// MQVersion.getVersionDesc(kBrokerVersion): GET_BROKER_RUNTIME_INFO's brokerVersionDesc.
inline constexpr const char* kBrokerVersionDesc = "V5_3_3";

}  // namespace holdfast::broker
