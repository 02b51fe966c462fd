#include "tools/limits/redis_benchmark_csv.h"

#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace holdfast::tools {

namespace {

// One CSV line split into fields; double quotes enclose fields and "" is a quote inside one.
std::vector<std::string> SplitCsvLine(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace

Result<RedisBenchmarkResult> ParseRedisBenchmarkCsv(std::string_view csv) {
  std::vector<std::vector<std::string>> lines;
  std::istringstream in{std::string(csv)};
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line != "\r") lines.push_back(SplitCsvLine(line));
  }
  if (lines.empty()) return Status::InvalidArgument("redis-benchmark printed no CSV");
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < lines[0].size(); ++i) column[lines[0][i]] = i;
  if (lines.size() < 2) {
    return Status::InvalidArgument("redis-benchmark CSV has a header but no test line");
  }
  const std::vector<std::string>& row = lines[1];
  RedisBenchmarkResult result;
  const std::pair<const char*, double*> wanted[] = {{"rps", &result.requests_per_second},
                                                    {"avg_latency_ms", &result.avg_latency_ms},
                                                    {"p50_latency_ms", &result.p50_latency_ms},
                                                    {"p99_latency_ms", &result.p99_latency_ms},
                                                    {"max_latency_ms", &result.max_latency_ms}};
  for (const auto& [name, out] : wanted) {
    auto it = column.find(name);
    if (it == column.end() || it->second >= row.size()) {
      return Status::InvalidArgument(fmt::format(
          "redis-benchmark CSV has no {} column (redis-benchmark 7 or later prints it)", name));
    }
    const std::string& text = row[it->second];
    char* end = nullptr;
    *out = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0') {
      return Status::InvalidArgument(
          fmt::format("redis-benchmark CSV column {} is not a number: {}", name, text));
    }
  }
  return result;
}

}  // namespace holdfast::tools
