// RocketMQ's JSON header (serialize type 0), docs/protocol.md §1.3 and §1.7.
//
// Encoding writes the keys code, extFields (left out when empty), flag, language (the
// LanguageCode name), opaque, remark (left out when absent), serializeTypeCurrentRPC ("JSON") and
// version, in that (alphabetical) order as fastjson does, with no spaces. Every extFields value
// is a JSON string. In strings, '"' and '\\' get a backslash, control characters become \b \t \n
// \f \r or \u00xx (lower-case hex), everything else (non-ASCII too) is written as is; ill-formed
// UTF-8 is written as U+FFFD, one per maximal ill-formed subpart. Encoding never fails.
//
// Decoding accepts keys in any order and ignores unknown keys (serializeTypeCurrentRPC among
// them). It requires code and opaque. It fails with Corruption, naming the key, when:
//  * the text is not JSON (RFC 8259, strictly: ill-formed UTF-8, raw control characters in
//    strings, lone surrogate \u escapes, numbers too large for a double are all refused; the
//    message says what was wrong and at which byte), or not a JSON object;
//  * code or opaque is missing or null;
//  * code, opaque, version or flag is not an integer or is outside the int range;
//  * language is neither a string nor an integer; remark is neither a string nor null;
//  * extFields is not an object, or one of its values is an object or array.
// An unknown language name or number becomes OTHER; a missing one JAVA (RocketMQ's default).
// extFields values that are numbers or booleans become text ("42", "-1", "true", "false"); null
// values are dropped. A fraction is rendered as nlohmann::json dumps it ("1.5", "100.0"); an
// integer beyond 64 bits counts as a fraction. A key given twice keeps its last value (for
// extFields, the last object as a whole). A UTF-8 byte order mark before the text, and a NUL byte
// and anything after it following the object, are ignored, as the nlohmann parser used before did.
// Decoding never reads outside `header`.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "remoting/remoting_command.h"

namespace holdfast::remoting {

// The header bytes of cmd (no length prefix). The body is not part of the header.
std::string EncodeJsonHeader(const RemotingCommand& cmd);

// A command holding the header's fields, an empty body and serialize_type kJson.
Result<RemotingCommand> DecodeJsonHeader(std::string_view header);

}  // namespace holdfast::remoting
