// libFuzzer target: FrameDecoder, which reads every byte a remoting peer sends. Any input must
// give commands or a Corruption status; never a crash, a hang or an out-of-bounds read. Checked
// besides:
//  * splitting: the input fed in chunks of sizes derived from the input gives the same commands
//    and the same final state (error text, or bytes left over) as the input fed whole;
//  * round trip: every decoded command, re-encoded as JSON and as ROCKETMQ, decodes back to the
//    same command (the ROCKETMQ header turns an empty remark into an absent one), and re-encodes
//    to the same bytes. Encoding may refuse only what the format cannot carry.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "remoting/frame_codec.h"
#include "remoting/frame_decoder.h"
#include "remoting/remoting_command.h"

namespace {

using holdfast::Status;
using holdfast::remoting::EncodeFrame;
using holdfast::remoting::FrameDecoder;
using holdfast::remoting::RemotingCommand;
using holdfast::remoting::SerializeType;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

// splitmix64: a small deterministic generator, seeded from the input.
struct Rng {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
};

// What a decoder produced: the commands, then either an error or the bytes left waiting.
struct Outcome {
  std::vector<RemotingCommand> commands;
  std::optional<std::string> error;
  size_t leftover = 0;
};

// Takes every ready command; returns false once the decoder has failed.
bool Drain(FrameDecoder& decoder, Outcome& out) {
  while (true) {
    auto next = decoder.Next();
    if (!next.ok()) {
      Check(next.status().IsCorruption());
      Check(decoder.failed());
      out.error = next.status().message();
      return false;
    }
    if (!next->has_value()) return true;
    out.commands.push_back(std::move(**next));
  }
}

bool FitsShort(int32_t v) {
  return v >= std::numeric_limits<int16_t>::min() && v <= std::numeric_limits<int16_t>::max();
}

bool FitsRocketmq(const RemotingCommand& cmd) {
  if (!FitsShort(cmd.code) || !FitsShort(cmd.version)) return false;
  for (const auto& [key, value] : cmd.ext_fields) {
    if (key.size() > static_cast<size_t>(std::numeric_limits<int16_t>::max())) return false;
  }
  return true;
}

void CheckRoundTrip(const RemotingCommand& cmd, SerializeType type) {
  auto frame = EncodeFrame(cmd, type);
  if (!frame.ok()) {
    // Only what the format cannot carry may be refused (a header over 24 bits of length cannot
    // come out of the small inputs libFuzzer makes).
    Check(type == SerializeType::kRocketmq && !FitsRocketmq(cmd));
    return;
  }
  FrameDecoder decoder(std::numeric_limits<size_t>::max());
  decoder.Feed(*frame);
  auto back = decoder.Next();
  Check(back.ok() && back->has_value());
  auto end = decoder.Next();
  Check(end.ok() && !end->has_value() && decoder.buffered_bytes() == 0);

  const RemotingCommand& got = **back;
  std::optional<std::string> remark = cmd.remark;
  if (type == SerializeType::kRocketmq && remark.has_value() && remark->empty()) remark.reset();
  Check(got.code == cmd.code);
  Check(got.opaque == cmd.opaque);
  Check(got.flag == cmd.flag);
  Check(got.version == cmd.version);
  Check(got.language == cmd.language);
  Check(got.remark == remark);
  Check(got.ext_fields == cmd.ext_fields);
  Check(got.body == cmd.body);
  Check(got.serialize_type == type);

  auto again = EncodeFrame(got, type);
  Check(again.ok() && *again == *frame);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  // FNV-1a of the input seeds the chunk sizes and the frame limit.
  uint64_t seed = 0xCBF29CE484222325ull;
  for (unsigned char c : input) seed = (seed ^ c) * 0x100000001B3ull;
  Rng rng{seed};
  // Mostly the real limit; sometimes a small one so inputs can reach it.
  size_t max_frame_length =
      rng.Next() % 4 == 0 ? 8 + rng.Next() % 512 : holdfast::remoting::kDefaultFrameMaxLength;

  FrameDecoder whole_decoder(max_frame_length);
  Outcome whole;
  whole_decoder.Feed(input);
  if (Drain(whole_decoder, whole)) whole.leftover = whole_decoder.buffered_bytes();

  FrameDecoder chunk_decoder(max_frame_length);
  Outcome chunked;
  bool alive = true;
  size_t max_chunk = 1 + rng.Next() % 64;
  for (size_t pos = 0; alive && pos < input.size();) {
    size_t chunk = 1 + rng.Next() % max_chunk;
    chunk_decoder.Feed(input.substr(pos, chunk));
    pos += chunk;
    alive = Drain(chunk_decoder, chunked);
  }
  if (alive) chunked.leftover = chunk_decoder.buffered_bytes();

  Check(whole.commands == chunked.commands);
  Check(whole.error == chunked.error);
  Check(whole.leftover == chunked.leftover);

  for (const RemotingCommand& cmd : whole.commands) {
    (void)cmd.ToString();
    CheckRoundTrip(cmd, SerializeType::kJson);
    CheckRoundTrip(cmd, SerializeType::kRocketmq);
  }
  return 0;
}
