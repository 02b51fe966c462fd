// The machine a benchmark ran on, in one line for its report's header.
#pragma once

#include <filesystem>
#include <string>

namespace holdfast::tools {

// One line for a benchmark report, e.g. "AMD EPYC, 2 cores, Linux 6.1.0 x86_64, /data: ext4 on
// /dev/nvme0n1p2 (mounted at /data)". Parts that cannot be read are given as "unknown".
std::string DescribeMachine(const std::filesystem::path& dir);

}  // namespace holdfast::tools
