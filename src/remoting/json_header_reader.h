// The reading half of the JSON header (json_header.h): one strict pass over the header bytes
// that keeps the raw value of every key DecodeJsonHeader looks at, without building a DOM.
// Internal to remoting; json_header.cc turns the values into a RemotingCommand.
//
// The reader follows RFC 8259 as nlohmann's parser did: no comments, no trailing commas, UTF-8
// checked, \u escapes with paired surrogates, numbers by the grammar, finite fractions. On top of
// nlohmann's rules, as before: a UTF-8 byte order mark before the text is skipped, and a NUL byte
// after the value ends the text. A key given twice keeps its last value. It never reads outside
// the text it was given and needs no stack in proportion to nesting depth.
//
// Not synchronised: one reader per header, on one thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "remoting/remoting_command.h"

namespace holdfast::remoting::json_header_internal {

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
  const char* TypeName() const;
  // The integer as text, as nlohmann dumped it.
  std::string IntegerText() const {
    return kind == Kind::kUnsigned ? std::to_string(unsigned_) : std::to_string(integer);
  }
};

// The name nlohmann::json::type_name() gave, which the errors use.
const char* TypeName(Value::Kind kind);

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

  // The slots: the last value of each key DecodeJsonHeader reads, kAbsent when it did not appear.
  Value code, opaque, version, flag, language, remark;
  ExtFieldsValue ext;

  // After ReadDocument returned false: what was wrong, and the byte offset where it was found.
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

}  // namespace holdfast::remoting::json_header_internal
