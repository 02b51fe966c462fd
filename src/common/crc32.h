// CRC32 as java.util.zip.CRC32 computes it (zlib's polynomial), which RocketMQ stores in BODYCRC
// masked to 31 bits.
#pragma once

#include <cstdint>
#include <string_view>

namespace holdfast {

uint32_t Crc32(std::string_view data);

// The value RocketMQ writes in a record's BODYCRC field: Crc32(body) & 0x7FFFFFFF.
inline int32_t BodyCrc(std::string_view body) {
  return static_cast<int32_t>(Crc32(body) & 0x7FFFFFFFu);
}

}  // namespace holdfast
