#include "remoting/frame_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/byte_order.h"
#include "remoting/frame_codec.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::remoting {
namespace {

using ::testing::HasSubstr;

RemotingCommand Command(int32_t opaque, std::string body = "") {
  RemotingCommand cmd;
  cmd.code = RequestCode::SEND_MESSAGE_V2;
  cmd.language = LanguageCode::kCpp;
  cmd.version = 333;
  cmd.opaque = opaque;
  cmd.SetExtField("a", "ProducerGroup");
  cmd.SetExtField("b", "TopicTest");
  cmd.body = std::move(body);
  return cmd;
}

std::string Encode(const RemotingCommand& cmd, SerializeType type = SerializeType::kJson) {
  auto frame = EncodeFrame(cmd, type);
  EXPECT_TRUE(frame.ok()) << frame.status().ToString();
  return frame.ok() ? *frame : std::string();
}

// Every command the decoder has ready, failing the test on an error.
std::vector<RemotingCommand> Drain(FrameDecoder& decoder) {
  std::vector<RemotingCommand> out;
  while (true) {
    auto next = decoder.Next();
    EXPECT_TRUE(next.ok()) << next.status().ToString();
    if (!next.ok() || !next->has_value()) return out;
    out.push_back(std::move(**next));
  }
}

// The error the decoder reports after being fed `bytes`.
Status ErrorAfter(std::string_view bytes, size_t max_frame_length = kDefaultFrameMaxLength) {
  FrameDecoder decoder(max_frame_length);
  decoder.Feed(bytes);
  auto next = decoder.Next();
  EXPECT_FALSE(next.ok()) << "no error";
  return next.status();
}

TEST(FrameDecoderTest, EmptyDecoderHasNothing) {
  FrameDecoder decoder;
  auto next = decoder.Next();
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());
  EXPECT_FALSE(decoder.failed());
}

TEST(FrameDecoderTest, FrameFedOneByteAtATime) {
  for (SerializeType type : {SerializeType::kJson, SerializeType::kRocketmq}) {
    RemotingCommand cmd = Command(11, "hello");
    std::string frame = Encode(cmd, type);
    FrameDecoder decoder;
    for (size_t i = 0; i + 1 < frame.size(); ++i) {
      decoder.Feed(frame.substr(i, 1));
      auto next = decoder.Next();
      ASSERT_TRUE(next.ok()) << "at byte " << i << ": " << next.status().ToString();
      ASSERT_FALSE(next->has_value()) << "complete after only " << i + 1 << " bytes";
    }
    decoder.Feed(frame.substr(frame.size() - 1));
    std::vector<RemotingCommand> got = Drain(decoder);
    ASSERT_EQ(got.size(), 1u);
    cmd.serialize_type = type;
    EXPECT_EQ(got[0], cmd);
    EXPECT_EQ(decoder.buffered_bytes(), 0u);
  }
}

TEST(FrameDecoderTest, TwoFramesInOneFeed) {
  FrameDecoder decoder;
  decoder.Feed(Encode(Command(1, "first")) + Encode(Command(2), SerializeType::kRocketmq));
  std::vector<RemotingCommand> got = Drain(decoder);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].opaque, 1);
  EXPECT_EQ(got[0].body, "first");
  EXPECT_EQ(got[0].serialize_type, SerializeType::kJson);
  EXPECT_EQ(got[1].opaque, 2);
  EXPECT_EQ(got[1].serialize_type, SerializeType::kRocketmq);
}

TEST(FrameDecoderTest, PartialFrameThenTheRest) {
  std::string first = Encode(Command(1, std::string(1000, 'x')));
  std::string second = Encode(Command(2, "tail"));
  std::string stream = first + second;
  size_t cut = first.size() + 3;  // inside the second frame's length field
  FrameDecoder decoder;
  decoder.Feed(stream.substr(0, 500));
  EXPECT_TRUE(Drain(decoder).empty());
  EXPECT_EQ(decoder.buffered_bytes(), 500u);
  decoder.Feed(stream.substr(500, cut - 500));
  std::vector<RemotingCommand> got = Drain(decoder);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].opaque, 1);
  EXPECT_EQ(decoder.buffered_bytes(), 3u);
  decoder.Feed(stream.substr(cut));
  got = Drain(decoder);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].opaque, 2);
  EXPECT_EQ(got[0].body, "tail");
}

TEST(FrameDecoderTest, ManyFramesInOddChunksComeOutInOrder) {
  std::string stream;
  for (int i = 0; i < 300; ++i) {
    stream += Encode(Command(i, std::string(static_cast<size_t>(i * 7), 'b')),
                     i % 2 ? SerializeType::kRocketmq : SerializeType::kJson);
  }
  FrameDecoder decoder;
  std::vector<RemotingCommand> got;
  for (size_t pos = 0, chunk = 1; pos < stream.size(); pos += chunk, chunk = chunk * 7 % 997 + 1) {
    decoder.Feed(stream.substr(pos, chunk));
    for (auto& cmd : Drain(decoder)) got.push_back(std::move(cmd));
  }
  ASSERT_EQ(got.size(), 300u);
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(got[static_cast<size_t>(i)].opaque, i);
    EXPECT_EQ(got[static_cast<size_t>(i)].body.size(), static_cast<size_t>(i * 7));
  }
  EXPECT_EQ(decoder.buffered_bytes(), 0u);
}

TEST(FrameDecoderTest, FrameOfExactlyTheMaximumIsAcceptedOneMoreIsNot) {
  RemotingCommand cmd = Command(5);
  size_t empty_size = Encode(cmd).size();
  cmd.body.assign(4096 - empty_size, 'z');
  std::string frame = Encode(cmd);
  ASSERT_EQ(frame.size(), 4096u);

  FrameDecoder at_limit(4096);
  at_limit.Feed(frame);
  EXPECT_EQ(Drain(at_limit).size(), 1u);

  Status error = ErrorAfter(frame, 4095);
  EXPECT_TRUE(error.IsCorruption());
  EXPECT_THAT(error.message(),
              HasSubstr("frame of 4096 bytes exceeds the maximum frame length 4095"));
}

TEST(FrameDecoderTest, OversizedFrameFailsFromItsLengthFieldAlone) {
  FrameDecoder decoder;  // 16 MiB default
  std::string prefix;
  AppendInt32(&prefix, 20 * 1024 * 1024);
  decoder.Feed(prefix);
  auto next = decoder.Next();
  ASSERT_FALSE(next.ok());
  EXPECT_THAT(next.status().message(), HasSubstr("exceeds the maximum frame length 16777216"));
  EXPECT_EQ(decoder.buffered_bytes(), 0u);
}

TEST(FrameDecoderTest, EveryBadInputGivesItsNamedError) {
  auto frame = [](std::string_view header, uint32_t type = 0, int32_t extra_length = 0) {
    std::string out;
    AppendInt32(&out, static_cast<int32_t>(4 + header.size()) + extra_length);
    AppendInt32(&out, static_cast<int32_t>(type << 24 | header.size()));
    out.append(header);
    return out;
  };
  std::string negative;
  AppendInt32(&negative, -8);
  std::string below_minimum;
  AppendInt32(&below_minimum, 2);
  std::string header_too_long;
  AppendInt32(&header_too_long, 10);
  AppendInt32(&header_too_long, 7);

  struct Case {
    std::string bytes;
    const char* error;
  };
  const Case cases[] = {
      {negative, "negative frame length -8"},
      {below_minimum, "frame length 2 is below the minimum 4"},
      {header_too_long, "header length 7 is larger than the frame leaves for it (6 bytes)"},
      {frame(R"({"code":1,"opaque":1})", 2), "unknown serialize type 2"},
      {frame("{not json}"), "JSON header: not valid JSON"},
      {frame(R"({"opaque":1})"), "JSON header: missing required key code"},
      {frame(R"({"code":1})"), "JSON header: missing required key opaque"},
      {frame(R"({"code":"1","opaque":1})"), "JSON header: code must be an integer"},
      {frame("\x00\x69\x00", 1), "ROCKETMQ header truncated"},
      {frame(std::string("\x00\x69\x00\x01\xDF\0\0\0\x01\0\0\0\0\xFF\xFF\xFF\xFF", 17), 1),
       "ROCKETMQ header: negative remark length -1"},
  };
  for (const Case& c : cases) {
    Status error = ErrorAfter(c.bytes);
    EXPECT_TRUE(error.IsCorruption()) << c.error;
    EXPECT_THAT(error.message(), HasSubstr(c.error));
  }
}

TEST(FrameDecoderTest, ErrorsAreStickyAndLaterBytesAreDropped) {
  FrameDecoder decoder;
  std::string bad;
  AppendInt32(&bad, 1);
  decoder.Feed(Encode(Command(1)) + bad);
  auto first = decoder.Next();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->has_value()) << "frames before the bad one still come out";
  auto error = decoder.Next();
  ASSERT_FALSE(error.ok());
  EXPECT_TRUE(decoder.failed());
  EXPECT_EQ(decoder.status().message(), error.status().message());

  decoder.Feed(Encode(Command(2)));
  EXPECT_EQ(decoder.buffered_bytes(), 0u);
  auto again = decoder.Next();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().message(), error.status().message());
}

}  // namespace
}  // namespace holdfast::remoting
