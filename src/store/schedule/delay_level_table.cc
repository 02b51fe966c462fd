#include "store/schedule/delay_level_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>

namespace holdfast::store::schedule {

namespace {

// Milliseconds of one unit, or 0 for an unknown suffix.
int64_t UnitMillis(char suffix) {
  switch (suffix) {
    case 's':
      return 1000;
    case 'm':
      return 60 * 1000;
    case 'h':
      return 60 * 60 * 1000;
    case 'd':
      return 24 * 60 * 60 * 1000;
    default:
      return 0;
  }
}

}  // namespace

DelayLevelTable::DelayLevelTable() : DelayLevelTable(Parse(kDefaultMessageDelayLevel).value()) {}

Result<DelayLevelTable> DelayLevelTable::Parse(std::string_view text) {
  std::vector<int64_t> delays;
  size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == ' ') {
      ++pos;
      continue;
    }
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view token = text.substr(pos, end - pos);
    pos = end;
    auto bad = [&](std::string_view why) {
      return Status::InvalidArgument(fmt::format("messageDelayLevel '{}': level {} '{}' {}", text,
                                                 delays.size() + 1, token, why));
    };
    const int64_t unit = UnitMillis(token.back());
    if (unit == 0) return bad("does not end in s, m, h or d");
    int64_t n = 0;
    const char* first = token.data();
    const char* last = token.data() + token.size() - 1;
    auto [stop, ec] = std::from_chars(first, last, n);
    if (first == last || ec != std::errc() || stop != last) return bad("is not <number><unit>");
    if (n <= 0) return bad("is not a positive duration");
    if (n > std::numeric_limits<int64_t>::max() / unit) return bad("is too long");
    delays.push_back(n * unit);
  }
  if (delays.empty()) {
    return Status::InvalidArgument(fmt::format("messageDelayLevel '{}' has no level", text));
  }
  return DelayLevelTable(std::move(delays));
}

int64_t DelayLevelTable::DelayMillis(int32_t level) const {
  const int32_t clamped = std::clamp(level, 1, max_level());
  return delays_ms_[static_cast<size_t>(clamped - 1)];
}

}  // namespace holdfast::store::schedule
