// Whole remoting frames: RemotingCommand <-> bytes, one frame at a time (layout in
// frame_format.h). A TCP connection decodes through FrameDecoder (frame_decoder.h), which is built
// on these. Free functions on values: thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"
#include "remoting/frame_format.h"
#include "remoting/remoting_command.h"
#include "remoting/serialize_type.h"

namespace holdfast::remoting {

// The whole frame for cmd (length prefix included) with a header of the given type. cmd's own
// serialize_type is not looked at; answer peers in JSON (docs/protocol.md §1.2). Fails with
// InvalidArgument when cmd cannot be written in that type (see rocketmq_header.h), the header
// exceeds 24 bits of length, or the frame exceeds INT32_MAX. The max frame length is the receiver's
// rule and is not checked here.
Result<std::string> EncodeFrame(const RemotingCommand& cmd, SerializeType type);

// Checks the start of a frame: `prefix` holds its first 4 to 8 bytes (the length field, then as
// much of the header-length word as has arrived). Returns the size of the whole frame
// (4 + length), or Corruption naming what is wrong:
//  * the length field is negative, or below 4 (it must count the header-length word);
//  * the frame (4 + length) is larger than max_frame_length;
//  * with all 8 bytes: the serialize type is neither 0 nor 1, or hLen is larger than the frame
//    leaves for the header (length - 4).
// InvalidArgument when prefix is shorter than 4 bytes.
Result<size_t> ParseFramePrefix(std::string_view prefix,
                                size_t max_frame_length = kDefaultFrameMaxLength);

// Decodes exactly one whole frame (length prefix included). Fails with Corruption on every error
// of ParseFramePrefix, json_header.h and rocketmq_header.h, and when `frame` is not exactly as
// long as its length field says.
Result<RemotingCommand> DecodeFrame(std::string_view frame,
                                    size_t max_frame_length = kDefaultFrameMaxLength);

}  // namespace holdfast::remoting
