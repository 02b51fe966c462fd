#include "remoting/frame_codec.h"

#include <cstdint>
#include <limits>
#include <utility>

#include "common/byte_order.h"
#include "remoting/json_header.h"
#include "remoting/rocketmq_header.h"

namespace holdfast::remoting {
namespace {

constexpr size_t kPrefixSize = kFrameLengthFieldSize + kHeaderLengthWordSize;

}  // namespace

Result<std::string> EncodeFrame(const RemotingCommand& cmd, SerializeType type) {
  std::string header;
  if (type == SerializeType::kRocketmq) {
    auto encoded = EncodeRocketmqHeader(cmd);
    if (!encoded.ok()) return encoded.status();
    header = std::move(encoded).value();
  } else {
    header = EncodeJsonHeader(cmd);
  }
  if (header.size() > kMaxHeaderLength) {
    return Status::InvalidArgument("header of " + std::to_string(header.size()) +
                                   " bytes exceeds the 24-bit header length limit");
  }
  size_t length = kHeaderLengthWordSize + header.size() + cmd.body.size();
  if (length > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return Status::InvalidArgument("frame length " + std::to_string(length) +
                                   " exceeds the int length field");
  }
  std::string frame;
  frame.reserve(kFrameLengthFieldSize + length);
  AppendInt32(&frame, static_cast<int32_t>(length));
  AppendInt32(&frame, static_cast<int32_t>(
                          MakeHeaderLengthWord(type, static_cast<uint32_t>(header.size()))));
  frame.append(header);
  frame.append(cmd.body);
  return frame;
}

Result<size_t> ParseFramePrefix(std::string_view prefix, size_t max_frame_length) {
  if (prefix.size() < kFrameLengthFieldSize) {
    return Status::InvalidArgument("ParseFramePrefix needs at least 4 bytes, got " +
                                   std::to_string(prefix.size()));
  }
  int32_t length = GetInt32(prefix.data());
  if (length < 0) {
    return Status::Corruption("negative frame length " + std::to_string(length));
  }
  if (length < kMinFrameLengthField) {
    return Status::Corruption("frame length " + std::to_string(length) +
                              " is below the minimum 4 (the header-length word)");
  }
  size_t frame_size = kFrameLengthFieldSize + static_cast<size_t>(length);
  if (frame_size > max_frame_length) {
    return Status::Corruption("frame of " + std::to_string(frame_size) +
                              " bytes exceeds the maximum frame length " +
                              std::to_string(max_frame_length));
  }
  if (prefix.size() < kPrefixSize) return frame_size;

  uint32_t word = GetBigEndian32(prefix.data() + kFrameLengthFieldSize);
  uint32_t type = word >> 24;
  if (type != static_cast<uint32_t>(SerializeType::kJson) &&
      type != static_cast<uint32_t>(SerializeType::kRocketmq)) {
    return Status::Corruption("unknown serialize type " + std::to_string(type) +
                              " in the header-length word");
  }
  size_t header_length = word & 0xFFFFFF;
  size_t room = static_cast<size_t>(length) - kHeaderLengthWordSize;
  if (header_length > room) {
    return Status::Corruption("header length " + std::to_string(header_length) +
                              " is larger than the frame leaves for it (" + std::to_string(room) +
                              " bytes)");
  }
  return frame_size;
}

Result<RemotingCommand> DecodeFrame(std::string_view frame, size_t max_frame_length) {
  if (frame.size() < kPrefixSize) {
    return Status::Corruption("frame truncated: " + std::to_string(frame.size()) +
                              " bytes, the length field and header-length word need 8");
  }
  auto frame_size = ParseFramePrefix(frame.substr(0, kPrefixSize), max_frame_length);
  if (!frame_size.ok()) return frame_size.status();
  if (*frame_size != frame.size()) {
    return Status::Corruption("frame is " + std::to_string(frame.size()) +
                              " bytes but its length field says " + std::to_string(*frame_size));
  }
  uint32_t word = GetBigEndian32(frame.data() + kFrameLengthFieldSize);
  auto type = static_cast<SerializeType>(word >> 24);
  std::string_view header = frame.substr(kPrefixSize, word & 0xFFFFFF);
  std::string_view body = frame.substr(kPrefixSize + header.size());

  auto cmd =
      type == SerializeType::kRocketmq ? DecodeRocketmqHeader(header) : DecodeJsonHeader(header);
  if (!cmd.ok()) return cmd.status();
  cmd->body.assign(body);
  return cmd;
}

}  // namespace holdfast::remoting
