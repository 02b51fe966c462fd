// FrameDecoder: cuts a TCP byte stream into RemotingCommands (frame layout in frame_format.h).
//
// Use: after every read, Feed() the bytes, then call Next() until it returns nullopt (or an
// error). Next() returns a command as soon as its whole frame has arrived, nullopt while the
// next frame is incomplete, and never waits. Frames may arrive split anywhere and several per
// Feed().
//
// Errors (Corruption, text naming what was wrong; see ParseFramePrefix and DecodeFrame in
// frame_codec.h) are sticky: the stream has lost its framing, so every later Next() returns the
// same error, Feed() drops its bytes, and the caller must close the connection. A length or
// serialize-type error is reported as soon as the first 8 bytes of the frame are in, without
// buffering the rest.
//
// Memory: at most one incomplete frame (bounded by max_frame_length) plus whatever was fed and
// not yet taken by Next().
//
// One decoder per connection. Not thread-safe: the connection's reader owns it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "remoting/frame_format.h"
#include "remoting/remoting_command.h"

namespace holdfast::remoting {

class FrameDecoder {
 public:
  // max_frame_length bounds a whole frame, length field included (Netty's rule);
  // com.rocketmq.remoting.frameMaxLength, default 16 MiB.
  explicit FrameDecoder(size_t max_frame_length = kDefaultFrameMaxLength);

  FrameDecoder(const FrameDecoder&) = delete;
  FrameDecoder& operator=(const FrameDecoder&) = delete;

  // Appends bytes read from the connection. Ignored once the decoder has failed.
  void Feed(std::string_view bytes);

  // The next whole command, nullopt while its frame is incomplete, or the sticky error.
  Result<std::optional<RemotingCommand>> Next();

  // OK, or the error that ended this stream.
  const Status& status() const { return status_; }
  bool failed() const { return !status_.ok(); }
  // Bytes fed and not yet returned as commands.
  size_t buffered_bytes() const { return buffer_.size() - start_; }

 private:
  Status Fail(Status error);

  const size_t max_frame_length_;
  std::string buffer_;
  size_t start_ = 0;  // bytes of buffer_ already returned as commands
  Status status_;
};

}  // namespace holdfast::remoting
