#include "tools/bench/process_stats.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace holdfast::tools {

Result<double> ReadProcessCpuSeconds(pid_t pid) {
  const std::string path = fmt::format("/proc/{}/stat", pid);
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return Status::NotFound("cannot read " + path);
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields are counted
  // from the last ')'. utime and stime are fields 14 and 15 of the line, in clock ticks.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return Status::Corruption(path + ": no ')' in '" + line + "'");
  std::istringstream rest(line.substr(close + 1));
  std::string field;
  long long utime = -1;
  long long stime = -1;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::atoll(field.c_str());
    if (i == 15) stime = std::atoll(field.c_str());
  }
  if (utime < 0 || stime < 0)
    return Status::Corruption(path + ": too few fields in '" + line + "'");
  const long ticks = ::sysconf(_SC_CLK_TCK);
  if (ticks <= 0) return Status::Corruption("sysconf(_SC_CLK_TCK) failed");
  return static_cast<double>(utime + stime) / static_cast<double>(ticks);
}

}  // namespace holdfast::tools
