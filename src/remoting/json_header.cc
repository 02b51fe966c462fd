#include "remoting/json_header.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "remoting/utf8.h"

// Every request and response passes through here on both sides, so neither direction builds a
// JSON DOM: encoding writes the text into one string, decoding is one pass over the bytes. Both
// keep what the nlohmann::json DOM used to give, byte for byte where tests pin it: nlohmann's
// escapes, its UTF-8 rules (strict on input; U+FFFD per maximal ill-formed subpart on output),
// last-one-wins for repeated keys, and the same error for the same bad header. nlohmann is still
// used for the rare fractional number, so that its text ("1.5", "1e+20") stays exactly the same.

namespace holdfast::remoting {
namespace {

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
// Decoding

// One JSON value as the header's readers need it. Objects and arrays are only validated and
// skipped: no key the reader looks at may hold one (extFields is parsed on its own).
struct Value {
  enum class Kind {
    kAbsent,
    kNull,
    kBoolean,
    kInteger,
    kUnsigned,
    kFraction,
    kString,
    kObject,
    kArray
  };
  Kind kind = Kind::kAbsent;
  bool boolean = false;
  int64_t integer = 0;     // kInteger: a negative number (or -0)
  uint64_t unsigned_ = 0;  // kUnsigned: a non-negative number
  std::string text;        // kString: the decoded text; kFraction: nlohmann's rendering

  bool IsMissing() const { return kind == Kind::kAbsent || kind == Kind::kNull; }
  bool IsInteger() const { return kind == Kind::kInteger || kind == Kind::kUnsigned; }
  // The name nlohmann::json::type_name() gave, which the errors use.
  const char* TypeName() const {
    switch (kind) {
      case Kind::kAbsent:
      case Kind::kNull:
        return "null";
      case Kind::kBoolean:
        return "boolean";
      case Kind::kInteger:
      case Kind::kUnsigned:
      case Kind::kFraction:
        return "number";
      case Kind::kString:
        return "string";
      case Kind::kObject:
        return "object";
      case Kind::kArray:
        return "array";
    }
    return "null";
  }
  // The integer as text, as nlohmann dumped it.
  std::string IntegerText() const {
    return kind == Kind::kUnsigned ? std::to_string(unsigned_) : std::to_string(integer);
  }
};

// extFields as read so far. Values that are null, objects or arrays are kept aside under their
// key, so that a later duplicate of the key can still replace them (last one wins).
struct ExtFieldsValue {
  Value shape;  // kAbsent until extFields is seen; kObject when it held an object
  ExtFields fields;
  std::map<std::string, Value::Kind, std::less<>> not_text;
};

// A strict RFC 8259 reader over the header bytes, as nlohmann's parser was: no comments, no
// trailing commas, UTF-8 checked, \u escapes with paired surrogates, numbers by the grammar.
// Every read checks the bounds; the first failure is kept in error_.
class HeaderReader {
 public:
  explicit HeaderReader(std::string_view text) : text_(text) {}

  // Reads the whole text as one JSON value: fields of a top-level object into the slots; for
  // anything else only its kind into *top. False on malformed JSON.
  bool ReadDocument(Value::Kind* top);

  Value code, opaque, version, flag, language, remark;
  ExtFieldsValue ext;

  const std::string& error() const { return error_; }
  size_t position() const { return pos_; }

 private:
  bool Fail(const char* what) {
    if (error_.empty()) error_ = what;
    return false;
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }
  void SkipWhitespace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }
  bool Expect(char c, const char* what) {
    SkipWhitespace();
    if (AtEnd() || Peek() != c) return Fail(what);
    ++pos_;
    return true;
  }

  bool ReadString(std::string* out);
  bool ReadHex4(uint32_t* unit);
  bool ReadNumber(Value* out);
  bool ReadLiteral(std::string_view word);
  bool ReadValue(Value* out);
  bool SkipContainer();
  bool ReadHeaderObject();
  bool ReadExtFields(ExtFieldsValue* ext);
  Value* SlotFor(std::string_view key);

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
  std::string key_;  // scratch for top-level keys
};

bool HeaderReader::ReadHex4(uint32_t* unit) {
  if (text_.size() - pos_ < 4) return Fail("truncated \\u escape");
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    char c = text_[pos_++];
    value <<= 4;
    if (c >= '0' && c <= '9') {
      value |= static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      value |= static_cast<uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      value |= static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return Fail("bad hex digit in \\u escape");
    }
  }
  *unit = value;
  return true;
}

void AppendUtf8(std::string* out, uint32_t code_point) {
  if (code_point < 0x80) {
    *out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    *out += static_cast<char>(0xC0 | (code_point >> 6));
    *out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    *out += static_cast<char>(0xE0 | (code_point >> 12));
    *out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (code_point >> 18));
    *out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

// At the opening quote. out may be null: the string is then only checked.
bool HeaderReader::ReadString(std::string* out) {
  ++pos_;  // the opening quote
  if (out != nullptr) out->clear();
  size_t run = pos_;  // start of the bytes not yet copied to out
  auto flush = [&] {
    if (out != nullptr) out->append(text_.data() + run, pos_ - run);
  };
  while (true) {
    if (AtEnd()) return Fail("unterminated string");
    auto c = static_cast<unsigned char>(text_[pos_]);
    if (c == '"') {
      flush();
      ++pos_;
      return true;
    }
    if (c < 0x20) return Fail("control character in string");
    if (c >= 0x80) {
      size_t length = WellFormedUtf8Length(text_.substr(pos_));
      if (length == 0) return Fail("ill-formed UTF-8 in string");
      pos_ += length;
      continue;
    }
    if (c != '\\') {
      ++pos_;
      continue;
    }
    flush();
    ++pos_;  // the backslash
    if (AtEnd()) return Fail("unterminated string");
    char escape = text_[pos_++];
    char plain = 0;
    switch (escape) {
      case '"':
        plain = '"';
        break;
      case '\\':
        plain = '\\';
        break;
      case '/':
        plain = '/';
        break;
      case 'b':
        plain = '\b';
        break;
      case 'f':
        plain = '\f';
        break;
      case 'n':
        plain = '\n';
        break;
      case 'r':
        plain = '\r';
        break;
      case 't':
        plain = '\t';
        break;
      case 'u': {
        uint32_t unit = 0;
        if (!ReadHex4(&unit)) return false;
        if (unit >= 0xDC00 && unit <= 0xDFFF) return Fail("lone low surrogate in \\u escape");
        if (unit >= 0xD800 && unit <= 0xDBFF) {
          uint32_t low = 0;
          if (text_.size() - pos_ < 2 || text_[pos_] != '\\' || text_[pos_ + 1] != 'u') {
            return Fail("high surrogate not followed by a \\u low surrogate");
          }
          pos_ += 2;
          if (!ReadHex4(&low)) return false;
          if (low < 0xDC00 || low > 0xDFFF) {
            return Fail("high surrogate not followed by a \\u low surrogate");
          }
          unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        }
        if (out != nullptr) AppendUtf8(out, unit);
        break;
      }
      default:
        return Fail("bad escape in string");
    }
    if (plain != 0 && out != nullptr) *out += plain;
    run = pos_;
  }
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// At '-' or a digit. Integers that fit 64 bits stay integers, as nlohmann kept them (unsigned
// when not negative); the rest are fractions, which must be finite.
bool HeaderReader::ReadNumber(Value* out) {
  size_t start = pos_;
  bool negative = Peek() == '-';
  if (negative) ++pos_;
  if (AtEnd() || !IsDigit(Peek())) return Fail("bad number");
  if (Peek() == '0') {
    ++pos_;
  } else {
    while (!AtEnd() && IsDigit(Peek())) ++pos_;
  }
  bool integral = true;
  if (!AtEnd() && Peek() == '.') {
    integral = false;
    ++pos_;
    if (AtEnd() || !IsDigit(Peek())) return Fail("bad number");
    while (!AtEnd() && IsDigit(Peek())) ++pos_;
  }
  if (!AtEnd() && (Peek() == 'e' || Peek() == 'E')) {
    integral = false;
    ++pos_;
    if (!AtEnd() && (Peek() == '+' || Peek() == '-')) ++pos_;
    if (AtEnd() || !IsDigit(Peek())) return Fail("bad number");
    while (!AtEnd() && IsDigit(Peek())) ++pos_;
  }
  const char* first = text_.data() + start;
  const char* last = text_.data() + pos_;
  Value number;
  if (integral) {
    if (negative) {
      auto result = std::from_chars(first, last, number.integer);
      if (result.ec == std::errc() && result.ptr == last) number.kind = Value::Kind::kInteger;
    } else {
      auto result = std::from_chars(first, last, number.unsigned_);
      if (result.ec == std::errc() && result.ptr == last) number.kind = Value::Kind::kUnsigned;
    }
  }
  if (number.kind == Value::Kind::kAbsent) {
    // Rare in a header; let nlohmann read and render it so the text stays what it was.
    auto parsed = nlohmann::json::parse(first, last, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_number_float()) return Fail("number out of range");
    number.kind = Value::Kind::kFraction;
    number.text = parsed.dump();
  }
  if (out != nullptr) *out = std::move(number);
  return true;
}

bool HeaderReader::ReadLiteral(std::string_view word) {
  if (text_.substr(pos_, word.size()) != word) return Fail("bad literal");
  pos_ += word.size();
  return true;
}

// At the first byte of a value (whitespace skipped). Scalars land in *out; objects and arrays
// are checked and skipped, only their kind recorded.
bool HeaderReader::ReadValue(Value* out) {
  if (AtEnd()) return Fail("value expected");
  switch (Peek()) {
    case '"':
      out->kind = Value::Kind::kString;
      return ReadString(&out->text);
    case '{':
      out->kind = Value::Kind::kObject;
      return SkipContainer();
    case '[':
      out->kind = Value::Kind::kArray;
      return SkipContainer();
    case 't':
      out->kind = Value::Kind::kBoolean;
      out->boolean = true;
      return ReadLiteral("true");
    case 'f':
      out->kind = Value::Kind::kBoolean;
      out->boolean = false;
      return ReadLiteral("false");
    case 'n':
      out->kind = Value::Kind::kNull;
      return ReadLiteral("null");
    default:
      if (Peek() == '-' || IsDigit(Peek())) return ReadNumber(out);
      return Fail("value expected");
  }
}

// At '{' or '['. Checks the whole value without recursion, so nesting depth costs no stack.
bool HeaderReader::SkipContainer() {
  std::string open;  // the containers entered, innermost last
  while (true) {
    // At a value.
    SkipWhitespace();
    if (AtEnd()) return Fail("value expected");
    char c = Peek();
    if (c == '{' || c == '[') {
      open += c;
      ++pos_;
      SkipWhitespace();
      if (!AtEnd() && Peek() == (c == '{' ? '}' : ']')) {
        ++pos_;
        open.pop_back();
      } else {
        if (c == '{') {
          if (AtEnd() || Peek() != '"') return Fail("object key expected");
          if (!ReadString(nullptr) || !Expect(':', "':' expected after object key")) return false;
        }
        continue;
      }
    } else if (c == '"') {
      if (!ReadString(nullptr)) return false;
    } else if (c == '-' || IsDigit(c)) {
      if (!ReadNumber(nullptr)) return false;
    } else if (c == 't') {
      if (!ReadLiteral("true")) return false;
    } else if (c == 'f') {
      if (!ReadLiteral("false")) return false;
    } else if (c == 'n') {
      if (!ReadLiteral("null")) return false;
    } else {
      return Fail("value expected");
    }
    // After a value: close containers until one goes on with ','.
    while (true) {
      if (open.empty()) return true;
      SkipWhitespace();
      if (AtEnd()) return Fail(open.back() == '{' ? "unterminated object" : "unterminated array");
      c = Peek();
      ++pos_;
      if (c == (open.back() == '{' ? '}' : ']')) {
        open.pop_back();
        continue;
      }
      if (c != ',') return Fail(open.back() == '{' ? "',' or '}' expected" : "',' or ']' expected");
      if (open.back() == '{') {
        SkipWhitespace();
        if (AtEnd() || Peek() != '"') return Fail("object key expected");
        if (!ReadString(nullptr) || !Expect(':', "':' expected after object key")) return false;
      }
      break;
    }
  }
}

Value* HeaderReader::SlotFor(std::string_view key) {
  if (key == "code") return &code;
  if (key == "opaque") return &opaque;
  if (key == "version") return &version;
  if (key == "flag") return &flag;
  if (key == "language") return &language;
  if (key == "remark") return &remark;
  return nullptr;
}

bool HeaderReader::ReadExtFields(ExtFieldsValue* ext) {
  ext->shape = Value();
  ext->fields.clear();
  ext->not_text.clear();
  SkipWhitespace();
  if (AtEnd()) return Fail("value expected");
  if (Peek() != '{') return ReadValue(&ext->shape);
  ext->shape.kind = Value::Kind::kObject;
  ++pos_;
  SkipWhitespace();
  if (!AtEnd() && Peek() == '}') {
    ++pos_;
    return true;
  }
  Value value;
  while (true) {
    SkipWhitespace();
    if (AtEnd() || Peek() != '"') return Fail("object key expected");
    std::string key;
    if (!ReadString(&key) || !Expect(':', "':' expected after object key")) return false;
    SkipWhitespace();
    value.kind = Value::Kind::kAbsent;
    if (!ReadValue(&value)) return false;
    std::string text;
    switch (value.kind) {
      case Value::Kind::kString:
        text = std::move(value.text);
        break;
      case Value::Kind::kFraction:
        text = std::move(value.text);
        break;
      case Value::Kind::kBoolean:
        text = value.boolean ? "true" : "false";
        break;
      case Value::Kind::kInteger:
      case Value::Kind::kUnsigned:
        text = value.IntegerText();
        break;
      default:
        break;
    }
    bool is_text = value.kind != Value::Kind::kNull && value.kind != Value::Kind::kObject &&
                   value.kind != Value::Kind::kArray;
    if (is_text) {
      if (!ext->not_text.empty()) ext->not_text.erase(key);
      auto [it, inserted] = ext->fields.try_emplace(std::move(key), std::move(text));
      if (!inserted) it->second = std::move(text);
    } else {
      ext->fields.erase(key);
      ext->not_text.insert_or_assign(std::move(key), value.kind);
    }
    SkipWhitespace();
    if (AtEnd()) return Fail("unterminated object");
    char c = text_[pos_++];
    if (c == '}') return true;
    if (c != ',') return Fail("',' or '}' expected");
  }
}

bool HeaderReader::ReadHeaderObject() {
  ++pos_;  // '{'
  SkipWhitespace();
  if (!AtEnd() && Peek() == '}') {
    ++pos_;
    return true;
  }
  while (true) {
    SkipWhitespace();
    if (AtEnd() || Peek() != '"') return Fail("object key expected");
    if (!ReadString(&key_) || !Expect(':', "':' expected after object key")) return false;
    SkipWhitespace();
    if (Value* slot = SlotFor(key_)) {
      *slot = Value();
      if (!ReadValue(slot)) return false;
    } else if (key_ == "extFields") {
      if (!ReadExtFields(&ext)) return false;
    } else {
      Value ignored;
      if (!ReadValue(&ignored)) return false;
    }
    SkipWhitespace();
    if (AtEnd()) return Fail("unterminated object");
    char c = text_[pos_++];
    if (c == '}') return true;
    if (c != ',') return Fail("',' or '}' expected");
  }
}

bool HeaderReader::ReadDocument(Value::Kind* top) {
  // nlohmann skipped a UTF-8 byte order mark.
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  SkipWhitespace();
  if (AtEnd()) return Fail("no value");
  if (Peek() == '{') {
    *top = Value::Kind::kObject;
    if (!ReadHeaderObject()) return false;
  } else {
    Value value;
    if (!ReadValue(&value)) return false;
    *top = value.kind;
  }
  SkipWhitespace();
  // nlohmann's lexer took a NUL byte for the end of the input; clients may rely on that.
  if (!AtEnd() && Peek() != '\0') return Fail("text after the value");
  return true;
}

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
    Value shape;
    shape.kind = kind;
    return Bad("extFields value of key \"" + key + "\" must be a string, number or boolean, got " +
               shape.TypeName());
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
    Value shape;
    shape.kind = top;
    return Bad(std::string("must be a JSON object, got ") + shape.TypeName());
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
