// Why a hand-written reader beside nlohmann-json: it is about three times faster than
// nlohmann::json::sax_parse doing the same work, on every header a Java peer sends. CPU time per
// header decoded into a RemotingCommand (src/remoting/bench/json_header_benchmark.cc;
// RelWithDebInfo, g++ 12, AMD EPYC, 2 shared cores; median of 3 runs, 2026-12-07):
//
//   header (bytes)                 DecodeJsonHeader   nlohmann sax_parse   nlohmann DOM
//   SEND_MESSAGE_V2 request (405)       1590 ns            4170 ns            6400 ns
//   PULL_MESSAGE request (419)          1430 ns            4800 ns            6800 ns
//   HEART_BEAT request (99)              330 ns            1170 ns            1730 ns
//   send response (288)                  950 ns            3280 ns            4500 ns
//
// Every request and response passes through it on both sides, so it is kept; the fuzz target
// tests/fuzz/json_header_reader_fuzzer.cc holds it to nlohmann's acceptance. Re-measure with
//   build/src/remoting/bench/json_header_benchmark --benchmark_repetitions=3

#include "remoting/json_header_reader.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <utility>

#include "remoting/utf8.h"

namespace holdfast::remoting::json_header_internal {
namespace {

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

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

// The name nlohmann::json::type_name() gave, which the errors use.
const char* TypeName(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kAbsent:
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kBoolean:
      return "boolean";
    case Value::Kind::kInteger:
    case Value::Kind::kUnsigned:
    case Value::Kind::kFraction:
      return "number";
    case Value::Kind::kString:
      return "string";
    case Value::Kind::kObject:
      return "object";
    case Value::Kind::kArray:
      return "array";
  }
  return "null";
}

const char* Value::TypeName() const { return json_header_internal::TypeName(kind); }

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

}  // namespace holdfast::remoting::json_header_internal
