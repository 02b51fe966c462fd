// RocketMQ's PullSysFlag: the bits of PullMessageRequestHeader.sysFlag.
#pragma once

#include <cstdint>

namespace holdfast::protocol {

inline constexpr int32_t kPullFlagCommitOffset = 0x1;  // commitOffset is to be stored
inline constexpr int32_t kPullFlagSuspend = 0x2;  // the broker may hold the pull (long polling)
inline constexpr int32_t kPullFlagSubscription = 0x4;  // the header carries the subscription
inline constexpr int32_t kPullFlagClassFilter = 0x8;
inline constexpr int32_t kPullFlagLitePull = 0x10;

}  // namespace holdfast::protocol
