// UTF-8 repair for text that arrives as raw bytes (the ROCKETMQ binary header's strings).
#pragma once

#include <string>
#include <string_view>

namespace holdfast::remoting {

// `bytes` with every ill-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates, nothing
// above U+10FFFF) replaced by U+FFFD, one per maximal ill-formed subpart, as Java's
// `new String(bytes, UTF_8)` does. Valid input comes back unchanged.
std::string ToValidUtf8(std::string_view bytes);

}  // namespace holdfast::remoting
