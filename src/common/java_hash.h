// Java's String.hashCode() of a UTF-8 string, computed over its UTF-16 code units as Java does.
// RocketMQ uses it for the consume queue's tags code and the index's key hash, so both must match
// what a Java broker writes for the same tag or key.
#pragma once

#include <cstdint>
#include <string_view>

namespace holdfast {

// Invalid UTF-8 bytes are hashed as U+FFFD, as Java's decoder would replace them.
int32_t JavaStringHashCode(std::string_view utf8);

}  // namespace holdfast
