// RocketMQ's PermName bits for topics (perm field of TopicConfig and of route data).
#pragma once

#include <cstdint>

namespace holdfast::broker {

inline constexpr int32_t kPermPriority = 0x8;
inline constexpr int32_t kPermRead = 0x4;
inline constexpr int32_t kPermWrite = 0x2;
// The topic is a template: topics auto-created from it copy its perm without this bit.
inline constexpr int32_t kPermInherit = 0x1;

inline bool IsReadable(int32_t perm) { return (perm & kPermRead) != 0; }
inline bool IsWriteable(int32_t perm) { return (perm & kPermWrite) != 0; }
inline bool IsInherited(int32_t perm) { return (perm & kPermInherit) != 0; }

}  // namespace holdfast::broker
