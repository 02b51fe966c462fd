#include "common/disk_usage.h"

#include <sys/stat.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

namespace holdfast {

namespace {

Result<int64_t> Allocated(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::NotFound("no file " + path);
    return Status::FromErrno(errno, "stat " + path);
  }
  return static_cast<int64_t>(st.st_blocks) * 512;
}

}  // namespace

Result<int64_t> DiskUsage(const std::string& path) {
  auto total = Allocated(path);
  if (!total.ok() || !std::filesystem::is_directory(std::filesystem::symlink_status(path))) {
    return total;
  }
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(path, ec);
  for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    auto bytes = Allocated(it->path().string());
    if (!bytes.ok()) return bytes.status();
    *total += *bytes;
  }
  if (ec) return Status::IoError("listing " + path + ": " + ec.message());
  return total;
}

}  // namespace holdfast
