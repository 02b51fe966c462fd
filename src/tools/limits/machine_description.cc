#include "tools/limits/machine_description.h"

#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <system_error>

#include <fmt/format.h>

namespace holdfast::tools {

namespace {

namespace fs = std::filesystem;

// Octal escapes in /proc/mounts fields ("\040" for a space) turned back into bytes.
std::string UnescapeMountField(const std::string& field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && field[i + 1] >= '0' && field[i + 1] <= '7') {
      out.push_back(static_cast<char>(std::stoi(field.substr(i + 1, 3), nullptr, 8)));
      i += 3;
    } else {
      out.push_back(field[i]);
    }
  }
  return out;
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  std::string fallback;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0) continue;
    std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
    std::string value = line.substr(std::min(line.size(), colon + 2));
    if (key == "model name") return value;
    if (fallback.empty() && (key == "Hardware" || key == "Processor" || key == "cpu model")) {
      fallback = value;
    }
  }
  return fallback.empty() ? "unknown CPU" : fallback;
}

std::string FsTypeFromMagic(long magic) {
  switch (static_cast<unsigned long>(magic)) {
    case 0xEF53:
      return "ext2/3/4";
    case 0x58465342:
      return "xfs";
    case 0x9123683E:
      return "btrfs";
    case 0x01021994:
      return "tmpfs";
    case 0x794C7630:
      return "overlay";
    case 0x2FC12FC1:
      return "zfs";
    case 0xF2F52010:
      return "f2fs";
    case 0x6969:
      return "nfs";
    default:
      return fmt::format("fs magic {:#x}", static_cast<unsigned long>(magic));
  }
}

// "<fstype> on <device> (mounted at <mount point>)" for the mount holding `dir`: the entry of
// /proc/mounts with the longest mount point that contains it (the last one wins among stacked
// mounts). Falls back to statfs's magic number when /proc/mounts cannot tell.
std::string DescribeFileSystem(const fs::path& dir) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  if (ec) canonical = dir;
  const std::string target = canonical.string();

  std::ifstream in("/proc/mounts");
  std::string device, mount_point, type, rest;
  std::string best_device, best_mount, best_type;
  while (in >> device >> mount_point >> type && std::getline(in, rest)) {
    mount_point = UnescapeMountField(mount_point);
    bool contains = mount_point == "/" || target == mount_point ||
                    (target.size() > mount_point.size() && target.starts_with(mount_point) &&
                     target[mount_point.size()] == '/');
    if (contains && mount_point.size() >= best_mount.size()) {
      best_device = UnescapeMountField(device);
      best_mount = mount_point;
      best_type = type;
    }
  }
  if (!best_type.empty()) {
    return fmt::format("{} on {} (mounted at {})", best_type, best_device, best_mount);
  }
  struct statfs sfs {};
  if (::statfs(target.c_str(), &sfs) == 0)
    return FsTypeFromMagic(sfs.f_type) + " on unknown device";
  return "unknown file system";
}

}  // namespace

std::string DescribeMachine(const fs::path& dir) {
  std::string kernel = "unknown kernel";
  struct utsname uts {};
  if (::uname(&uts) == 0) kernel = fmt::format("{} {} {}", uts.sysname, uts.release, uts.machine);
  long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
  return fmt::format("{}, {} cores, {}, {}: {}", CpuModel(), cores > 0 ? cores : 0, kernel,
                     dir.string(), DescribeFileSystem(dir));
}

}  // namespace holdfast::tools
