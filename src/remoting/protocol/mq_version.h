// RocketMQ's MQVersion ordinals (docs/protocol.md §1.6): the `version` every command carries. What
// a peer claims decides some answers (a name server answers routes in standard JSON from V4_9_4),
// and Java clients take a HEART_BEAT answer's version as the broker's, so ours must be real
// (docs/protocol.md §10 item 9).
#pragma once

#include <cstdint>

namespace holdfast::protocol {

// What our client, broker and name server claim: V5_3_3, MQVersion.CURRENT_VERSION of the Java
// release whose protocol they speak.
inline constexpr int32_t kCurrentVersion = 479;
// MQVersion.getVersionDesc(kCurrentVersion): GET_BROKER_RUNTIME_INFO's brokerVersionDesc.
inline constexpr const char* kCurrentVersionDesc = "V5_3_3";

// From this version REGISTER_BROKER carries a RegisterBrokerBody.
inline constexpr int32_t kVersionV3_0_11 = 37;
// From this version a broker takes maxReconsumeTimes from CONSUMER_SEND_MSG_BACK and from sends to
// a retry topic (docs/protocol.md §8.3).
inline constexpr int32_t kVersionV3_4_9 = 121;
// From this version GET_ROUTEINFO_BY_TOPIC is answered in standard JSON.
inline constexpr int32_t kVersionV4_9_4 = 401;

}  // namespace holdfast::protocol
