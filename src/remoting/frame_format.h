// The byte layout of one remoting frame, written once here next to its constants. The full
// description, with RocketMQ's sources, is docs/protocol.md §1.2-§1.4. Every integer is
// big-endian.
//
//   +-----------+---------------------------+---------------+------+
//   | length: 4 | serType: 1 | hLen: 3      | header: hLen  | body |
//   +-----------+---------------------------+---------------+------+
//
//   length          int, = 4 + hLen + body bytes; it does not count itself, so the whole frame is
//                   4 + length bytes.
//   header-length   int: high byte = SerializeType (0 JSON, 1 ROCKETMQ), low 24 bits = hLen.
//   header          JSON object (json_header.h) or RocketMQ's binary layout (rocketmq_header.h).
//   body            opaque bytes, up to the end of the frame.
#pragma once

#include <cstddef>
#include <cstdint>

#include "remoting/serialize_type.h"

namespace holdfast::remoting {

inline constexpr size_t kFrameLengthFieldSize = 4;
inline constexpr size_t kHeaderLengthWordSize = 4;
// The smallest legal value of the length field: the header-length word alone.
inline constexpr int32_t kMinFrameLengthField = static_cast<int32_t>(kHeaderLengthWordSize);
// hLen has 24 bits.
inline constexpr size_t kMaxHeaderLength = 0xFFFFFF;
// Default limit on a whole frame, length field included, as Netty's LengthFieldBasedFrameDecoder
// counts it: com.rocketmq.remoting.frameMaxLength = 16 MiB.
inline constexpr size_t kDefaultFrameMaxLength = size_t{16} * 1024 * 1024;

inline constexpr uint32_t MakeHeaderLengthWord(SerializeType type, uint32_t header_length) {
  return (static_cast<uint32_t>(type) << 24) | (header_length & 0xFFFFFF);
}

}  // namespace holdfast::remoting
