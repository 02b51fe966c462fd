#include "tools/admin/admin_format.h"

#include <fmt/format.h>

#include <ctime>

namespace holdfast::tools::admin {

std::string TimeMillisToHumanString(int64_t millis) {
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02},{:03}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis % 1000);
}

}  // namespace holdfast::tools::admin
