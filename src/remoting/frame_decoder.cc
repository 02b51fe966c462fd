#include "remoting/frame_decoder.h"

#include <algorithm>
#include <utility>

#include "remoting/frame_codec.h"

namespace holdfast::remoting {
namespace {

constexpr size_t kPrefixSize = kFrameLengthFieldSize + kHeaderLengthWordSize;
// Consumed bytes are dropped from the front of the buffer once they are at least this many and
// at least half of it, so compaction costs O(1) per byte overall.
constexpr size_t kCompactThreshold = size_t{64} * 1024;

}  // namespace

FrameDecoder::FrameDecoder(size_t max_frame_length) : max_frame_length_(max_frame_length) {}

void FrameDecoder::Feed(std::string_view bytes) {
  if (failed()) return;
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  } else if (start_ >= kCompactThreshold && start_ >= buffer_.size() / 2) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  buffer_.append(bytes);
}

Result<std::optional<RemotingCommand>> FrameDecoder::Next() {
  if (failed()) return status_;
  std::string_view pending(buffer_.data() + start_, buffer_.size() - start_);
  if (pending.size() < kFrameLengthFieldSize) return std::optional<RemotingCommand>();

  auto frame_size =
      ParseFramePrefix(pending.substr(0, std::min(pending.size(), kPrefixSize)), max_frame_length_);
  if (!frame_size.ok()) return Fail(frame_size.status());
  if (pending.size() < *frame_size) return std::optional<RemotingCommand>();

  auto cmd = DecodeFrame(pending.substr(0, *frame_size), max_frame_length_);
  if (!cmd.ok()) return Fail(cmd.status());
  start_ += *frame_size;
  return std::optional<RemotingCommand>(std::move(cmd).value());
}

Status FrameDecoder::Fail(Status error) {
  status_ = std::move(error);
  buffer_.clear();
  buffer_.shrink_to_fit();
  start_ = 0;
  return status_;
}

}  // namespace holdfast::remoting
