// Helpers shared by the fuzz targets: a reader that takes typed values off the front of the input;
// Check, which stops the run (a crash libFuzzer reports with the input) when a property fails; and
// SilenceLogging, for targets whose code logs what it rejects, thousands of times a second.
#pragma once

#include <spdlog/spdlog.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace holdfast::fuzz {

inline void Check(bool ok) {
  if (!ok) __builtin_trap();
}

// Call from LLVMFuzzerInitialize.
inline void SilenceLogging() { spdlog::set_level(spdlog::level::off); }

// Once the input runs out, every value reads as zero and every Take as empty.
class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : rest_(reinterpret_cast<const char*>(data), size) {}

  uint8_t Byte() {
    if (rest_.empty()) return 0;
    uint8_t b = static_cast<uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }
  uint64_t U64() {
    uint64_t v = 0;
    std::string_view bytes = Take(sizeof v);
    if (!bytes.empty()) std::memcpy(&v, bytes.data(), bytes.size());
    return v;
  }
  int64_t I64() { return static_cast<int64_t>(U64()); }
  // Up to n bytes.
  std::string_view Take(size_t n) {
    std::string_view taken = rest_.substr(0, n);
    rest_.remove_prefix(taken.size());
    return taken;
  }
  std::string_view Rest() { return Take(rest_.size()); }
  bool empty() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

}  // namespace holdfast::fuzz
