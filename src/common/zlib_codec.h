// zlib streams (with the zlib header, as Java's Deflater/Inflater write them): RocketMQ's message
// body compression (sysFlag COMPRESSED, docs/protocol.md §6.2).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace holdfast {

// `level` 0..9 (RocketMQ's producer uses 5).
Result<std::string> ZlibCompress(std::string_view in, int level);
// Corruption when `in` is not one whole zlib stream or inflates beyond `max_size` bytes.
Result<std::string> ZlibUncompress(std::string_view in, size_t max_size);

}  // namespace holdfast
