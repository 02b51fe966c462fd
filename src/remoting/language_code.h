// RocketMQ's LanguageCode (apache/rocketmq: remoting/.../protocol/LanguageCode.java): the sender's
// client language. The JSON header carries its name ("JAVA"), the ROCKETMQ binary header its byte
// code (docs/protocol.md §1.3). Nothing in the protocol depends on it; it is shown in connection
// lists. Thread-safe: everything here is constant.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace holdfast::remoting {

// Enumerator values are RocketMQ's byte codes.
enum class LanguageCode : uint8_t {
  kJava = 0,
  kCpp = 1,
  kDotnet = 2,
  kPython = 3,
  kDelphi = 4,
  kErlang = 5,
  kRuby = 6,
  kOther = 7,
  kHttp = 8,
  kGo = 9,
  kPhp = 10,
  kOms = 11,
  kRust = 12,
  kNodeJs = 13,
};

// RocketMQ's name: "JAVA", "CPP", ..., "NODE_JS". A value outside the enum gives "OTHER".
std::string_view LanguageCodeName(LanguageCode language);

// The language with RocketMQ's name `name` (exact, case-sensitive), or nullopt.
std::optional<LanguageCode> LanguageCodeFromName(std::string_view name);

// The language with byte code `code`, or nullopt for a code RocketMQ does not define.
std::optional<LanguageCode> LanguageCodeFromByte(int64_t code);

}  // namespace holdfast::remoting
