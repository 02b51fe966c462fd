#include "remoting/protocol/fastjson_keys.h"

#include <vector>

#include <nlohmann/json.hpp>

#include "remoting/utf8.h"

namespace holdfast::protocol {

namespace {

// The end (one past) of the JSON string starting at text[pos] == '"', or npos.
size_t StringEnd(std::string_view text, size_t pos) {
  for (size_t i = pos + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// The end (one past) of the bracketed value starting at text[pos] ('{' or '['), or npos.
size_t BracketEnd(std::string_view text, size_t pos) {
  int depth = 0;
  for (size_t i = pos; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      const size_t end = StringEnd(text, i);
      if (end == std::string_view::npos) return end;
      i = end - 1;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

Result<std::string> QuoteNonStringKeys(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  // One entry per open bracket: true for an object, false for an array.
  std::vector<bool> in_object;
  bool expect_key = false;  // just after '{' or after ',' inside an object
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (IsSpace(c)) {
      out += c;
      ++i;
      continue;
    }
    if (expect_key && c != '}') {
      expect_key = false;
      size_t end;
      if (c == '"') {
        end = StringEnd(text, i);
      } else if (c == '{' || c == '[') {
        end = BracketEnd(text, i);
      } else {
        end = i;
        while (end < text.size() && text[end] != ':' && !IsSpace(text[end])) ++end;
      }
      if (end == std::string_view::npos || end == i) {
        return Status::Corruption("an object key at byte " + std::to_string(i) + " does not close");
      }
      if (c == '"') {
        out.append(text.substr(i, end - i));
      } else {
        const std::string key(text.substr(i, end - i));
        // A JSON parser refuses ill-formed UTF-8 anywhere else in the text; so here.
        if (remoting::ToValidUtf8(key) != key) {
          return Status::Corruption("the object key at byte " + std::to_string(i) +
                                    " is not UTF-8");
        }
        out += nlohmann::json(key).dump();
      }
      i = end;
      continue;
    }
    expect_key = false;
    if (c == '"') {
      const size_t end = StringEnd(text, i);
      if (end == std::string_view::npos) {
        return Status::Corruption("a string at byte " + std::to_string(i) + " does not close");
      }
      out.append(text.substr(i, end - i));
      i = end;
      continue;
    }
    if (c == '{') {
      in_object.push_back(true);
      expect_key = true;
    } else if (c == '[') {
      in_object.push_back(false);
    } else if (c == '}' || c == ']') {
      if (!in_object.empty()) in_object.pop_back();
    } else if (c == ',' && !in_object.empty() && in_object.back()) {
      expect_key = true;
    }
    out += c;
    ++i;
  }
  return out;
}

}  // namespace holdfast::protocol
