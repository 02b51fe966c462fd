// RocketMQ's binary header (serialize type 1, "ROCKETMQ"; apache/rocketmq:
// remoting/.../protocol/RocketMQSerializable.java), docs/protocol.md §1.4. Big-endian:
//
//   offset 0   short  code
//          2   byte   language (LanguageCode byte code)
//          3   short  version
//          5   int    opaque
//          9   int    flag
//         13   int    remarkLen (0 = no remark)
//         17   remarkLen bytes  remark, UTF-8
//          ..  int    extLen = bytes of the map that follows
//          ..  extLen bytes     repeated {short keyLen, key, int valLen, value}
//
// Encoding fails with InvalidArgument, naming the field, when code or version is outside a short
// (the 2000xx POP codes need JSON) or an extFields key is longer than 32767 bytes. An empty
// remark is written as length 0 and so decodes as absent; empty keys and values stay empty.
//
// Decoding fails with Corruption, naming the field and offset, when the header is shorter than
// its fields say (truncated), a length is negative, or bytes follow the map. A repeated key keeps
// its last value. An unknown language byte becomes OTHER. Ill-formed UTF-8 in the remark, keys
// and values becomes U+FFFD, as in Java.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"
#include "remoting/remoting_command.h"

namespace holdfast::remoting {

// Bytes before the remark, and the size of a header with no remark and no extFields.
inline constexpr size_t kRocketmqHeaderFixedPrefix = 17;
inline constexpr size_t kRocketmqHeaderMinSize = kRocketmqHeaderFixedPrefix + 4;

// The header bytes of cmd (no length prefix). The body is not part of the header.
Result<std::string> EncodeRocketmqHeader(const RemotingCommand& cmd);

// A command holding the header's fields, an empty body and serialize_type kRocketmq.
Result<RemotingCommand> DecodeRocketmqHeader(std::string_view header);

}  // namespace holdfast::remoting
