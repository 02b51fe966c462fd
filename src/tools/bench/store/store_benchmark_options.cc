#include "tools/bench/store/store_benchmark_options.h"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "tools/limits/disk_limits.h"

namespace holdfast::tools {

namespace {

using store::FlushDiskType;

std::vector<std::string_view> SplitList(std::string_view text) {
  std::vector<std::string_view> items;
  while (true) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    items.push_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return items;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Status ValidateStoreBenchmarkOptions(const StoreBenchmarkOptions& o) {
  if (!(o.seconds > 0))
    return Status::InvalidArgument(fmt::format("--seconds {} must be positive", o.seconds));
  if (!(o.warmup_seconds >= 0)) {
    return Status::InvalidArgument(
        fmt::format("--warmup {} must not be negative", o.warmup_seconds));
  }
  for (int n : o.threads) {
    if (n <= 0 || n > 4096)
      return Status::InvalidArgument(fmt::format("appends in flight {} is not in 1..4096", n));
  }
  for (int n : o.blocking_threads) {
    if (n <= 0 || n > 4096)
      return Status::InvalidArgument(fmt::format("blocking thread count {} is not in 1..4096", n));
  }
  if (o.submitters < 0 || o.submitters > 256) {
    return Status::InvalidArgument(
        fmt::format("submitter count {} is not in 0..256 (0: automatic)", o.submitters));
  }
  for (double g : o.recovery_sizes_gib) {
    if (!(g > 0) || g > 1024) {
      return Status::InvalidArgument(fmt::format("recovery size {} GiB is not in (0, 1024]", g));
    }
  }
  if (o.body_size == 0 || o.body_size > 4 * kMiB) {
    return Status::InvalidArgument(fmt::format("body size {} is not in 1..4 MiB", o.body_size));
  }
  if (o.queues <= 0)
    return Status::InvalidArgument(fmt::format("queue count {} must be positive", o.queues));
  if (o.topic.empty()) return Status::InvalidArgument("the topic is empty");
  if (o.dir.empty()) return Status::InvalidArgument("the directory is empty");
  return Status::Ok();
}

std::string_view FlushDiskTypeName(store::FlushDiskType type) {
  return type == FlushDiskType::kSyncFlush ? "SYNC_FLUSH" : "ASYNC_FLUSH";
}

Result<std::vector<int>> ParseThreadList(std::string_view text) {
  std::vector<int> out;
  for (std::string_view item : SplitList(text)) {
    int v = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() || v <= 0) {
      return Status::InvalidArgument(
          fmt::format("'{}' in '{}' is not a positive thread count", item, text));
    }
    out.push_back(v);
  }
  return out;
}

Result<std::vector<store::FlushDiskType>> ParseFlushModeList(std::string_view text) {
  std::vector<store::FlushDiskType> out;
  for (std::string_view item : SplitList(text)) {
    std::string m = Lower(item);
    if (m == "sync" || m == "sync_flush") {
      out.push_back(FlushDiskType::kSyncFlush);
    } else if (m == "async" || m == "async_flush") {
      out.push_back(FlushDiskType::kAsyncFlush);
    } else {
      return Status::InvalidArgument(
          fmt::format("'{}' in '{}' is not a flush mode (sync or async)", item, text));
    }
  }
  return out;
}

Result<std::vector<double>> ParseGibList(std::string_view text) {
  std::vector<double> out;
  for (std::string_view item : SplitList(text)) {
    double v = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() || !(v > 0)) {
      return Status::InvalidArgument(
          fmt::format("'{}' in '{}' is not a positive size in GiB", item, text));
    }
    out.push_back(v);
  }
  return out;
}

}  // namespace holdfast::tools
