// Logging goes through spdlog; CHECK aborts on a broken invariant and is never reachable from
// outside input (bad input gets a Status).
#pragma once

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <string>

namespace holdfast {

// Makes a logger named `name`, writing to stderr, the default, at level info. Call it first in
// main(), before any thread starts: spdlog builds its registry on first use, and Debian's libspdlog
// is not built with ThreadSanitizer, so a first use from two threads at once is reported as a race
// (it was, by consumer threads in the TSan build). stderr, so that stdout carries only what a
// program reports (boot lines, results) and a parent reading it never stalls behind log traffic.
void SetUpLogging(const std::string& name);

}  // namespace holdfast

#define HOLDFAST_CHECK(cond)                                                    \
  do {                                                                          \
    if (!(cond)) {                                                              \
      spdlog::critical("CHECK failed at {}:{}: {}", __FILE__, __LINE__, #cond); \
      spdlog::default_logger()->flush();                                        \
      std::abort();                                                             \
    }                                                                           \
  } while (0)
