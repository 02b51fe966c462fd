// Big-endian reads and writes of fixed-width integers: every number RocketMQ puts on the wire or on
// disk is big-endian (Java ByteBuffer order). The pointer overloads do no bounds checks; callers
// check lengths first.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

namespace holdfast {

inline void PutBigEndian16(char* p, uint16_t v) {
  p[0] = static_cast<char>(v >> 8);
  p[1] = static_cast<char>(v);
}
inline void PutBigEndian32(char* p, uint32_t v) {
  for (int i = 3; i >= 0; --i, v >>= 8) p[i] = static_cast<char>(v);
}
inline void PutBigEndian64(char* p, uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<char>(v);
}

inline uint16_t GetBigEndian16(const char* p) {
  auto u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint16_t>((u[0] << 8) | u[1]);
}
inline uint32_t GetBigEndian32(const char* p) {
  auto u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3];
}
inline uint64_t GetBigEndian64(const char* p) {
  return (uint64_t{GetBigEndian32(p)} << 32) | GetBigEndian32(p + 4);
}

inline int32_t GetInt32(const char* p) { return static_cast<int32_t>(GetBigEndian32(p)); }
inline int64_t GetInt64(const char* p) { return static_cast<int64_t>(GetBigEndian64(p)); }
inline int16_t GetInt16(const char* p) { return static_cast<int16_t>(GetBigEndian16(p)); }

// Appending writers for building records in a std::string.
inline void AppendInt16(std::string* out, int16_t v) {
  char b[2];
  PutBigEndian16(b, static_cast<uint16_t>(v));
  out->append(b, 2);
}
inline void AppendInt32(std::string* out, int32_t v) {
  char b[4];
  PutBigEndian32(b, static_cast<uint32_t>(v));
  out->append(b, 4);
}
inline void AppendInt64(std::string* out, int64_t v) {
  char b[8];
  PutBigEndian64(b, static_cast<uint64_t>(v));
  out->append(b, 8);
}

}  // namespace holdfast
