// RemotingCommand: one request or response of RocketMQ's remoting protocol, as a plain value
// (apache/rocketmq: remoting/.../protocol/RemotingCommand.java). Frames are encoded and decoded by
// frame_codec.h and frame_decoder.h; this file only holds the fields and their helpers.
//
// Callers may rely on:
//  * remark: nullopt means "absent" (JSON: key omitted or null); an empty string is a present but
//    empty remark in JSON. The ROCKETMQ binary header cannot tell them apart: there an empty
//    remark, key or value is written as length 0, and a remark of length 0 decodes as absent.
//  * ext_fields: RocketMQ's extFields, always text. Values that arrived as JSON numbers or booleans
//    are already normalised to text ("42", "true"). Ordered by key, as the ACL signature needs.
//  * Every string in a decoded command is valid UTF-8.
//
// A RemotingCommand is a value: copy or move it freely. Not synchronised; share a const one or
// hand it from thread to thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "remoting/ext_fields.h"
#include "remoting/language_code.h"
#include "remoting/serialize_type.h"

namespace holdfast::remoting {

// Bits of RemotingCommand::flag.
inline constexpr int32_t kResponseFlag = 0x1;  // RocketMQ's RPC_TYPE bit: set on responses
inline constexpr int32_t kOnewayFlag = 0x2;    // RocketMQ's RPC_ONEWAY bit: no response wanted

struct RemotingCommand {
  // A request with `code` (a RequestCode) and the next opaque from a process-wide counter, as
  // Java's createRequestCommand does (from 0, wrapping to negative after INT32_MAX). version is 0:
  // the sender sets its MQVersion ordinal (docs/protocol.md §1.6). Thread-safe.
  static RemotingCommand CreateRequest(int32_t code);

  // The response to `request`: its opaque, the response flag, `code` (a ResponseCode) and
  // `remark`. Language and version keep their defaults (JAVA, 0): a server stamps its own
  // version on what it sends (a HEART_BEAT answer must not carry 0, docs/protocol.md §10 item 9).
  // The caller must not answer a oneway request (request.IsOneway()).
  static RemotingCommand CreateResponse(const RemotingCommand& request, int32_t code,
                                        std::optional<std::string> remark = std::nullopt);

  bool IsResponse() const { return (flag & kResponseFlag) != 0; }
  bool IsOneway() const { return (flag & kOnewayFlag) != 0; }
  void MarkResponse() { flag |= kResponseFlag; }
  void MarkOneway() { flag |= kOnewayFlag; }

  // The value of extFields key `key`, or nullptr. The pointer lives as long as the entry.
  const std::string* FindExtField(std::string_view key) const;
  // Sets (or replaces) one extFields entry.
  void SetExtField(std::string key, std::string value);

  // One line for logs, e.g. "response SYSTEM_ERROR(1) opaque=7 flag=0x1 language=JAVA version=0
  // remark="..." extFields=0 body=0B". Shows the remark (cut at 120 bytes), not extFields
  // values or body bytes.
  std::string ToString() const;

  bool operator==(const RemotingCommand&) const = default;

  int32_t code = 0;  // a RequestCode in requests, a ResponseCode in responses
  LanguageCode language = LanguageCode::kJava;  // RocketMQ's default when a header omits it
  int32_t version = 0;                          // sender's MQVersion ordinal
  int32_t opaque = 0;                           // request id; a response copies it
  int32_t flag = 0;                             // kResponseFlag | kOnewayFlag
  std::optional<std::string> remark;
  ExtFields ext_fields;
  std::string body;  // opaque bytes
  // The type of the header this command arrived in. Encoding does not look at it: EncodeFrame
  // takes the type explicitly, because a server answers in its own type (JSON), docs/protocol.md
  // §1.2.
  SerializeType serialize_type = SerializeType::kJson;
};

}  // namespace holdfast::remoting
