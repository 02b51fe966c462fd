// UTF-8 repair for text that arrives as raw bytes (the ROCKETMQ binary header's strings).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace holdfast::remoting {

// `bytes` with every ill-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates, nothing
// above U+10FFFF) replaced by U+FFFD, one per maximal ill-formed subpart, as Java's
// `new String(bytes, UTF_8)` does. Valid input comes back unchanged.
std::string ToValidUtf8(std::string_view bytes);

// The length (1 to 4) of the well-formed UTF-8 sequence at the start of `bytes`, or 0 when
// `bytes` is empty or starts with an ill-formed sequence (same rules as ToValidUtf8).
size_t WellFormedUtf8Length(std::string_view bytes);

}  // namespace holdfast::remoting
