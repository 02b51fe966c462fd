#include "common/process_memory.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

namespace holdfast {

Result<ProcessMemory> ReadProcessMemory(pid_t pid) {
  const std::string path = fmt::format("/proc/{}/status", pid);
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read " + path);
  ProcessMemory memory;
  const std::pair<std::string_view, int64_t*> fields[] = {{"VmRSS:", &memory.rss_bytes},
                                                          {"RssAnon:", &memory.rss_anon_bytes},
                                                          {"RssFile:", &memory.rss_file_bytes}};
  int found = 0;
  for (std::string line; std::getline(in, line);) {
    for (const auto& [name, out] : fields) {
      if (line.rfind(name, 0) != 0) continue;
      std::istringstream text(line.substr(name.size()));
      int64_t kib = -1;
      std::string unit;
      text >> kib >> unit;
      if (kib < 0 || unit != "kB") {
        return Status::Corruption(fmt::format("{}: unexpected line '{}'", path, line));
      }
      *out = kib * 1024;
      ++found;
    }
  }
  if (found != static_cast<int>(std::size(fields))) {
    return Status::NotFound(path + " lacks VmRSS, RssAnon or RssFile");
  }
  return memory;
}

}  // namespace holdfast
