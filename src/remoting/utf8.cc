#include "remoting/utf8.h"

namespace holdfast::remoting {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed sequence at the start of s, or 0 when s starts ill-formed. When 0,
// *bad_length is the length of the maximal ill-formed subpart to replace (at least 1).
size_t WellFormedLength(std::string_view s, size_t* bad_length) {
  auto lead = static_cast<unsigned char>(s[0]);
  *bad_length = 1;
  if (lead < 0x80) return 1;
  size_t continuation = 0;
  unsigned char low = 0x80;  // allowed range of the second byte (RFC 3629 table)
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    continuation = 1;
  } else if (lead == 0xE0) {
    continuation = 2;
    low = 0xA0;  // no overlongs
  } else if (lead == 0xED) {
    continuation = 2;
    high = 0x9F;  // no surrogates
  } else if (lead >= 0xE1 && lead <= 0xEF) {
    continuation = 2;
  } else if (lead == 0xF0) {
    continuation = 3;
    low = 0x90;  // no overlongs
  } else if (lead >= 0xF1 && lead <= 0xF3) {
    continuation = 3;
  } else if (lead == 0xF4) {
    continuation = 3;
    high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  size_t i = 1;
  for (; i <= continuation && i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    bool ok = i == 1 ? (c >= low && c <= high) : (c >= 0x80 && c <= 0xBF);
    if (!ok) break;
  }
  if (i == continuation + 1) return i;
  *bad_length = i;
  return 0;
}

}  // namespace

size_t WellFormedUtf8Length(std::string_view bytes) {
  if (bytes.empty()) return 0;
  size_t bad_length = 0;
  return WellFormedLength(bytes, &bad_length);
}

std::string ToValidUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  while (!bytes.empty()) {
    size_t bad_length = 0;
    size_t good = WellFormedLength(bytes, &bad_length);
    if (good > 0) {
      out.append(bytes.substr(0, good));
      bytes.remove_prefix(good);
    } else {
      out.append(kReplacementCharacter);
      bytes.remove_prefix(bad_length);
    }
  }
  return out;
}

}  // namespace holdfast::remoting
