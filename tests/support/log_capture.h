// LogCapture: while it lives, every line logged through spdlog's default logger is also kept here,
// so a test can check what was logged and how often. spdlog's sink list is not synchronised:
// create it before the threads that log start, and destroy it after they are joined.
#pragma once

#include <spdlog/sinks/ringbuffer_sink.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace holdfast::testing {

class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  // The captured lines (the last 10,000 at most) that contain `needle`, oldest first.
  std::vector<std::string> Lines(std::string_view needle) const;

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

}  // namespace holdfast::testing
