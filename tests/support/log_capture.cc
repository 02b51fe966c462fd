#include "tests/support/log_capture.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace holdfast::testing {

namespace {
constexpr size_t kKeptLines = 10'000;
}  // namespace

LogCapture::LogCapture() : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(kKeptLines)) {
  sink_->set_pattern("%l %v");
  spdlog::default_logger()->sinks().push_back(sink_);
}

LogCapture::~LogCapture() {
  auto& sinks = spdlog::default_logger()->sinks();
  sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
}

std::vector<std::string> LogCapture::Lines(std::string_view needle) const {
  std::vector<std::string> lines = sink_->last_formatted();
  std::erase_if(lines,
                [&](const std::string& line) { return line.find(needle) == std::string::npos; });
  return lines;
}

}  // namespace holdfast::testing
