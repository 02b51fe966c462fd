#include "remoting/json_header.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "remoting/json_header_reader.h"
#include "remoting/utf8.h"

// Every request and response passes through here on both sides, so neither direction builds a
// JSON DOM: encoding writes the text into one string, decoding is one pass over the bytes
// (json_header_reader.h). Both keep what the nlohmann::json DOM used to give, byte for byte where
// tests pin it: nlohmann's escapes, its UTF-8 rules (strict on input; U+FFFD per maximal ill-formed
// subpart on output), last-one-wins for repeated keys, and the same error for the same bad header.
// The reader still asks nlohmann for the rare fractional number, so that its text ("1.5", "1e+20")
// stays exactly the same.

namespace holdfast::remoting {
namespace {

using json_header_internal::ExtFieldsValue;
using json_header_internal::HeaderReader;
using json_header_internal::TypeName;
using json_header_internal::Value;

Status Bad(std::string what) { return Status::Corruption("JSON header: " + std::move(what)); }

// ---------------------------------------------------------------------------------------------
// Encoding

void AppendInt(std::string& out, int64_t value) {
  char digits[24];
  auto result = std::to_chars(digits, digits + sizeof(digits), value);
  out.append(digits, result.ptr);
}

// Appends s, which must be well-formed UTF-8, as the inside of a JSON string.
void AppendEscapedValidUtf8(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t run = 0;  // start of the bytes not yet appended
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escape, sizeof(escape));
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
}

// Appends s as a JSON string, ill-formed UTF-8 replaced by U+FFFD.
void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t length = WellFormedUtf8Length(s.substr(i));
    if (length == 0) break;
    i += length;
  }
  if (i == s.size()) {
    AppendEscapedValidUtf8(out, s);
  } else {
    AppendEscapedValidUtf8(out, s.substr(0, i));
    AppendEscapedValidUtf8(out, ToValidUtf8(s.substr(i)));
  }
  out += '"';
}

// ---------------------------------------------------------------------------------------------
// Decoding: json_header_reader.h reads the raw values; these turn them into fields.

// The integer in `value`, nullopt when it is missing or null.
Result<std::optional<int32_t>> ReadInt32(const Value& value, const char* key) {
  if (value.IsMissing()) return std::optional<int32_t>();
  if (!value.IsInteger()) {
    return Bad(std::string(key) + " must be an integer, got " +
               (value.kind == Value::Kind::kFraction ? "a fraction " + value.text
                                                     : std::string(value.TypeName())));
  }
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  bool in_range = value.kind == Value::Kind::kUnsigned
                      ? value.unsigned_ <= static_cast<uint64_t>(kMax)
                      : value.integer >= kMin && value.integer <= kMax;
  if (!in_range) {
    return Bad(std::string(key) + " " + value.IntegerText() + " is outside the int range");
  }
  return std::optional<int32_t>(static_cast<int32_t>(value.kind == Value::Kind::kUnsigned
                                                         ? static_cast<int64_t>(value.unsigned_)
                                                         : value.integer));
}

Result<int32_t> ReadRequiredInt32(const Value& value, const char* key) {
  auto result = ReadInt32(value, key);
  if (!result.ok()) return result.status();
  if (!result->has_value()) return Bad(std::string("missing required key ") + key);
  return **result;
}

Result<LanguageCode> ReadLanguage(const Value& value) {
  if (value.IsMissing()) return LanguageCode::kJava;
  std::optional<LanguageCode> language;
  if (value.kind == Value::Kind::kString) {
    language = LanguageCodeFromName(value.text);
  } else if (value.IsInteger()) {
    // fastjson also reads an enum from its ordinal.
    language = LanguageCodeFromByte(
        value.kind == Value::Kind::kUnsigned
            ? (value.unsigned_ > 255 ? -1 : static_cast<int64_t>(value.unsigned_))
            : value.integer);
  } else {
    return Bad(std::string("language must be a string or an integer, got ") + value.TypeName());
  }
  return language.value_or(LanguageCode::kOther);
}

// Sheet §1.7: strings, numbers and booleans, kept as text; null values dropped.
Result<ExtFields> TakeExtFields(ExtFieldsValue& ext) {
  if (ext.shape.IsMissing()) return ExtFields();
  if (ext.shape.kind != Value::Kind::kObject) {
    return Bad(std::string("extFields must be an object, got ") + ext.shape.TypeName());
  }
  // The first offending key in key order, as iterating the old DOM found it.
  for (const auto& [key, kind] : ext.not_text) {
    if (kind == Value::Kind::kNull) continue;  // fastjson reads null as an absent field
    return Bad("extFields value of key \"" + key + "\" must be a string, number or boolean, got " +
               TypeName(kind));
  }
  return std::move(ext.fields);
}

}  // namespace

std::string EncodeJsonHeader(const RemotingCommand& cmd) {
  size_t estimate = 128 + (cmd.remark ? cmd.remark->size() : 0);
  for (const auto& [key, value] : cmd.ext_fields) estimate += key.size() + value.size() + 6;
  std::string out;
  out.reserve(estimate);
  // The keys in alphabetical order, as fastjson writes them.
  out += "{\"code\":";
  AppendInt(out, cmd.code);
  if (!cmd.ext_fields.empty()) {
    out += ",\"extFields\":{";
    bool first = true;
    for (const auto& [key, value] : cmd.ext_fields) {  // ExtFields is ordered by key
      if (!first) out += ',';
      first = false;
      AppendJsonString(out, key);
      out += ':';
      AppendJsonString(out, value);
    }
    out += '}';
  }
  out += ",\"flag\":";
  AppendInt(out, cmd.flag);
  out += ",\"language\":";
  AppendJsonString(out, LanguageCodeName(cmd.language));
  out += ",\"opaque\":";
  AppendInt(out, cmd.opaque);
  if (cmd.remark.has_value()) {
    out += ",\"remark\":";
    AppendJsonString(out, *cmd.remark);
  }
  out += ",\"serializeTypeCurrentRPC\":";
  AppendJsonString(out, SerializeTypeName(SerializeType::kJson));
  out += ",\"version\":";
  AppendInt(out, cmd.version);
  out += '}';
  return out;
}

Result<RemotingCommand> DecodeJsonHeader(std::string_view text) {
  HeaderReader reader(text);
  Value::Kind top = Value::Kind::kAbsent;
  if (!reader.ReadDocument(&top)) {
    return Bad("not valid JSON (" + std::to_string(text.size()) + " bytes): " + reader.error() +
               " at byte " + std::to_string(reader.position()));
  }
  if (top != Value::Kind::kObject) {
    return Bad(std::string("must be a JSON object, got ") + TypeName(top));
  }
  RemotingCommand cmd;
  cmd.serialize_type = SerializeType::kJson;

  auto code = ReadRequiredInt32(reader.code, "code");
  if (!code.ok()) return code.status();
  cmd.code = *code;
  auto opaque = ReadRequiredInt32(reader.opaque, "opaque");
  if (!opaque.ok()) return opaque.status();
  cmd.opaque = *opaque;
  auto version = ReadInt32(reader.version, "version");
  if (!version.ok()) return version.status();
  cmd.version = version->value_or(0);
  auto flag = ReadInt32(reader.flag, "flag");
  if (!flag.ok()) return flag.status();
  cmd.flag = flag->value_or(0);

  auto language = ReadLanguage(reader.language);
  if (!language.ok()) return language.status();
  cmd.language = *language;
  const Value& remark = reader.remark;
  if (!remark.IsMissing()) {
    if (remark.kind != Value::Kind::kString) {
      return Bad(std::string("remark must be a string, got ") + remark.TypeName());
    }
    cmd.remark = std::move(reader.remark.text);
  }
  auto ext_fields = TakeExtFields(reader.ext);
  if (!ext_fields.ok()) return ext_fields.status();
  cmd.ext_fields = std::move(ext_fields).value();
  return cmd;
}

}  // namespace holdfast::remoting
