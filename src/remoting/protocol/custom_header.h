// RocketMQ's CommandCustomHeader, typed: a request or response header is a struct plus one table
// that names each field's extFields key, the member it fills and whether it is required. The table
// is the header's encoder and decoder both, so the two sides of the wire cannot disagree.
//
// To add a header (RocketMQ's XxxRequestHeader / XxxResponseHeader), write a struct with
// RocketMQ's field names in snake_case and
//   static constexpr auto Fields() {
//     return std::tuple{HeaderField{"topic", &XxxRequestHeader::topic, Presence::kRequired},
//                       HeaderField{"queueId", &XxxRequestHeader::queue_id, Presence::kRequired}};
//   }
// then EncodeCustomHeader(header, &command) on the sending side and
// DecodeCustomHeader<XxxRequestHeader>(command) on the receiving side.
//
// What the wire carries (extFields values are always text; the remoting layer has already turned
// JSON numbers and booleans into text, so "42" and 42 read the same):
//  * std::string: written as is; an optional one only when not empty.
//  * int32_t, int64_t: decimal. An empty value counts as absent.
//  * bool: "true" / "false"; read as Java's Boolean.parseBoolean (only "true", any case, is true).
//  * std::optional<int32_t> / <int64_t> / <bool>: written only when set; absent (or, for a
//    number, empty) reads as nullopt.
// Decoding fails with InvalidArgument "the custom field <key> is null" for an absent required
// field (Java's RemotingCommandException text) and "the custom field <key> is not a number: v"
// for a number that does not parse; absent optional fields keep the struct's defaults.
//
// Stateless templates; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "common/status.h"
#include "remoting/remoting_command.h"

namespace holdfast::protocol {

enum class Presence {
  kOptional,
  kRequired,  // Java's @CFNotNull
};

// Which keys a header is written and read with. Only the send header has short ones
// (SendMessageRequestHeaderV2's "a".."n").
enum class KeyStyle { kLong, kShort };

template <typename Header, typename T>
struct HeaderField {
  std::string_view key;
  T Header::*member;
  Presence presence = Presence::kOptional;
  std::string_view short_key = {};  // empty: the same as key

  std::string_view KeyFor(KeyStyle style) const {
    return style == KeyStyle::kShort && !short_key.empty() ? short_key : key;
  }
};
// C++20 deduces HeaderField's arguments from the aggregate itself; clang before 17 (the fuzz
// build's clang 14) does not, so the tables need this guide.
template <typename Header, typename T>
HeaderField(std::string_view, T Header::*, Presence = Presence::kOptional, std::string_view = {})
    -> HeaderField<Header, T>;

// One value to and from its extFields text; the overloads are the supported member types.
void WriteHeaderField(std::string_view key, const std::string& value, Presence presence,
                      remoting::RemotingCommand* command);
void WriteHeaderField(std::string_view key, int32_t value, Presence presence,
                      remoting::RemotingCommand* command);
void WriteHeaderField(std::string_view key, int64_t value, Presence presence,
                      remoting::RemotingCommand* command);
void WriteHeaderField(std::string_view key, bool value, Presence presence,
                      remoting::RemotingCommand* command);
void WriteHeaderField(std::string_view key, const std::optional<int32_t>& value, Presence presence,
                      remoting::RemotingCommand* command);
void WriteHeaderField(std::string_view key, const std::optional<int64_t>& value, Presence presence,
                      remoting::RemotingCommand* command);
void WriteHeaderField(std::string_view key, const std::optional<bool>& value, Presence presence,
                      remoting::RemotingCommand* command);

Status ReadHeaderField(const remoting::RemotingCommand& command, std::string_view key,
                       Presence presence, std::string* out);
Status ReadHeaderField(const remoting::RemotingCommand& command, std::string_view key,
                       Presence presence, int32_t* out);
Status ReadHeaderField(const remoting::RemotingCommand& command, std::string_view key,
                       Presence presence, int64_t* out);
Status ReadHeaderField(const remoting::RemotingCommand& command, std::string_view key,
                       Presence presence, bool* out);
Status ReadHeaderField(const remoting::RemotingCommand& command, std::string_view key,
                       Presence presence, std::optional<int32_t>* out);
Status ReadHeaderField(const remoting::RemotingCommand& command, std::string_view key,
                       Presence presence, std::optional<int64_t>* out);
Status ReadHeaderField(const remoting::RemotingCommand& command, std::string_view key,
                       Presence presence, std::optional<bool>* out);

// Sets the extFields of every field of `header` on `command` (other fields are left alone).
template <typename Header>
void EncodeCustomHeader(const Header& header, remoting::RemotingCommand* command,
                        KeyStyle style = KeyStyle::kLong) {
  std::apply(
      [&](const auto&... field) {
        (WriteHeaderField(field.KeyFor(style), header.*(field.member), field.presence, command),
         ...);
      },
      Header::Fields());
}

// The header read from `command`'s extFields; the first bad field's error.
template <typename Header>
Result<Header> DecodeCustomHeader(const remoting::RemotingCommand& command,
                                  KeyStyle style = KeyStyle::kLong) {
  Header header;
  Status status;
  std::apply(
      [&](const auto&... field) {
        ((status = status.ok() ? ReadHeaderField(command, field.KeyFor(style), field.presence,
                                                 &(header.*(field.member)))
                               : status),
         ...);
      },
      Header::Fields());
  if (!status.ok()) return status;
  return header;
}

}  // namespace holdfast::protocol
