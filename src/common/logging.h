// Logging goes through spdlog; CHECK aborts on a broken invariant and is never reachable from
// outside input (bad input gets a Status).
#pragma once

#include <spdlog/spdlog.h>

#include <cstdlib>

#define HOLDFAST_CHECK(cond)                                                    \
  do {                                                                          \
    if (!(cond)) {                                                              \
      spdlog::critical("CHECK failed at {}:{}: {}", __FILE__, __LINE__, #cond); \
      spdlog::default_logger()->flush();                                        \
      std::abort();                                                             \
    }                                                                           \
  } while (0)
