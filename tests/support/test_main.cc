// main() of every unit, integration and crash test binary: logging is set up before GoogleTest
// starts any test, so no test's threads are the first to touch spdlog (see SetUpLogging).
#include <gtest/gtest.h>

#include "common/logging.h"

int main(int argc, char** argv) {
  holdfast::SetUpLogging("test");
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
