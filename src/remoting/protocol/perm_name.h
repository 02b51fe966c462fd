// RocketMQ's PermName: the permission bits of a topic, in TopicConfig.perm and in the route's
// QueueData.perm, read the same way by broker, name server, client and tools.
#pragma once

#include <cstdint>
#include <string>

namespace holdfast::protocol {

inline constexpr int32_t kPermPriority = 0x8;
inline constexpr int32_t kPermRead = 0x4;
inline constexpr int32_t kPermWrite = 0x2;
// The topic is a template: topics auto-created from it copy its perm without this bit.
inline constexpr int32_t kPermInherit = 0x1;

inline bool IsReadable(int32_t perm) { return (perm & kPermRead) != 0; }
inline bool IsWriteable(int32_t perm) { return (perm & kPermWrite) != 0; }
inline bool IsInherited(int32_t perm) { return (perm & kPermInherit) != 0; }

// PermName.perm2String: "RW-" (R readable, W writable, X inherited).
std::string PermToString(int32_t perm);

}  // namespace holdfast::protocol
