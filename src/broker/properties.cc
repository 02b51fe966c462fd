#include "broker/properties.h"

#include <cctype>

namespace holdfast::broker {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\f'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (IsBlank(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (IsBlank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Drops trailing blanks that are not escaped ("a\\ " keeps its escaped blank).
std::string_view TrimTrailingUnescaped(std::string_view s) {
  while (!s.empty() && (IsBlank(s.back()) || s.back() == '\r')) {
    size_t slashes = 0;
    while (slashes + 1 < s.size() && s[s.size() - 2 - slashes] == '\\') ++slashes;
    if (slashes % 2 == 1) break;
    s.remove_suffix(1);
  }
  return s;
}

// Appends a code point as UTF-8.
void AppendUtf8(std::string* out, unsigned cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Resolves escapes in one logical line's key or value. Returns false on a bad \u escape.
bool Unescape(std::string_view in, std::string* out) {
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c != '\\' || i + 1 == in.size()) {
      out->push_back(c);
      continue;
    }
    char e = in[++i];
    switch (e) {
      case 't':
        out->push_back('\t');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'u': {
        if (in.size() - i - 1 < 4) return false;
        unsigned cp = 0;
        for (int k = 1; k <= 4; ++k) {
          char h = in[i + k];
          if (!std::isxdigit(static_cast<unsigned char>(h))) return false;
          cp = cp * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(h))
                                                   ? h - '0'
                                                   : (std::tolower(h) - 'a' + 10));
        }
        AppendUtf8(out, cp);
        i += 4;
        break;
      }
      default:
        out->push_back(e);
    }
  }
  return true;
}

// True when the line ends in an odd number of backslashes (a continuation).
bool EndsWithContinuation(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && line[line.size() - 1 - n] == '\\') ++n;
  return n % 2 == 1;
}

}  // namespace

Result<std::vector<PropertyEntry>> ParseProperties(std::string_view text, std::string_view source) {
  std::vector<PropertyEntry> entries;
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    // Gather one logical line.
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view physical = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    const int start_line = line_no;
    if (!physical.empty() && physical.back() == '\r') physical.remove_suffix(1);
    std::string_view first = Trim(physical);
    if (first.empty() || first.front() == '#' || first.front() == '!') continue;
    std::string logical;
    // Leading whitespace only; trailing blanks before a continuation backslash are kept.
    while (!physical.empty() && IsBlank(physical.front())) physical.remove_prefix(1);
    while (EndsWithContinuation(physical)) {
      physical.remove_suffix(1);
      logical.append(physical);
      if (pos >= text.size()) {
        physical = {};
        break;
      }
      end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      physical = text.substr(pos, end - pos);
      pos = end + 1;
      ++line_no;
      if (!physical.empty() && physical.back() == '\r') physical.remove_suffix(1);
      while (!physical.empty() && IsBlank(physical.front())) physical.remove_prefix(1);
    }
    logical.append(physical);

    // The key ends at the first unescaped '=', ':' or blank.
    size_t k = 0;
    while (k < logical.size()) {
      char c = logical[k];
      if (c == '\\') {
        k += 2;
        continue;
      }
      if (c == '=' || c == ':' || IsBlank(c)) break;
      ++k;
    }
    if (k > logical.size()) k = logical.size();
    std::string_view raw_key(logical.data(), k);
    std::string_view rest = std::string_view(logical).substr(k);
    while (!rest.empty() && IsBlank(rest.front())) rest.remove_prefix(1);
    if (!rest.empty() && (rest.front() == '=' || rest.front() == ':')) rest.remove_prefix(1);
    while (!rest.empty() && IsBlank(rest.front())) rest.remove_prefix(1);
    rest = TrimTrailingUnescaped(rest);

    PropertyEntry entry;
    entry.line = start_line;
    if (!Unescape(raw_key, &entry.key) || !Unescape(rest, &entry.value)) {
      return Status::InvalidArgument(std::string(source) + ":" + std::to_string(start_line) +
                                     ": malformed \\uXXXX escape");
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::string EscapePropertyValue(std::string_view value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\f':
        out += "\\f";
        break;
      case ' ':
        // Leading blanks would be skipped and trailing ones trimmed.
        out += (i == 0 || i + 1 == value.size()) ? "\\ " : " ";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace holdfast::broker
