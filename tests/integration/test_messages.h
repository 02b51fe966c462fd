// The messages integration tests send: message i has key "key-<i>" and a body of `size` bytes
// derived from i alone, so any process can check exact bytes without being told them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace holdfast::testing {

inline std::string MessageKey(int64_t i) { return "key-" + std::to_string(i); }

// The i of "key-<i>"; nullopt for anything else.
inline std::optional<int64_t> MessageIndex(std::string_view key) {
  if (key.substr(0, 4) != "key-" || key.size() == 4) return std::nullopt;
  int64_t i = 0;
  for (char c : key.substr(4)) {
    if (c < '0' || c > '9') return std::nullopt;
    i = i * 10 + (c - '0');
  }
  return i;
}

// Printable pseudo-random bytes (xorshift seeded by i), starting with "<i>:".
inline std::string MessageBody(int64_t i, size_t size) {
  std::string body = std::to_string(i) + ":";
  uint64_t x = 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(i + 1);
  while (body.size() < size) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    body.push_back(static_cast<char>('!' + x % 90));
  }
  body.resize(size);
  return body;
}

}  // namespace holdfast::testing
