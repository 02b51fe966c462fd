#include "store/repeated_error_log.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace holdfast::store {
namespace {

// Counts lines of `text` that contain `part`.
int Lines(const std::string& text, const std::string& part) {
  std::istringstream in(text);
  int n = 0;
  for (std::string line; std::getline(in, line);) n += line.find(part) != std::string::npos;
  return n;
}

TEST(RepeatedErrorLogTest, LogsARepeatingErrorOnceAndItsEndOnce) {
  std::ostringstream out;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_st>(out)));
  RepeatedErrorLog log("test job");
  for (int i = 0; i < 5; ++i) log.Note(Status::IoError("disk A gone"));
  log.Note(Status::IoError("disk B gone"));
  log.Note(Status::IoError("disk B gone"));
  log.Note(Status::Ok());
  log.Note(Status::Ok());
  log.Note(Status::IoError("disk A gone"));
  spdlog::set_default_logger(previous);

  const std::string text = out.str();
  EXPECT_EQ(Lines(text, "test job failed"), 3) << text;
  EXPECT_EQ(Lines(text, "disk A gone"), 2) << text;
  EXPECT_EQ(Lines(text, "works again"), 1) << text;
}

}  // namespace
}  // namespace holdfast::store
