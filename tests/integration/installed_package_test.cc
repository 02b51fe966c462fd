// The client library as a user outside the tree gets it: `cmake --install` into a fresh prefix,
// the example in examples/producer_consumer built against that prefix only (with CMake's
// find_package and with pkg-config), and both builds run against the installed `holdfast
// standalone` on free loopback ports.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/subprocess.h"
#include "tests/support/standalone_broker.h"
#include "tests/support/temp_dir.h"

namespace holdfast {
namespace {

namespace fs = std::filesystem;

// Runs argv to its end: its exit status, with what it printed on stdout in *output (stderr goes
// to the test's own). A program silent for 5 minutes is killed.
int RunToEnd(const std::vector<std::string>& argv, std::string* output,
             const std::map<std::string, std::string>& env = {}) {
  output->clear();
  auto proc = Subprocess::Spawn(argv, {.extra_env = env});
  if (!proc.ok()) {
    *output = proc.status().ToString();
    return -1;
  }
  while (!(*proc)->eof()) {
    std::optional<std::string> line = (*proc)->ReadLine(std::chrono::minutes(5));
    if (!line) break;
    *output += *line + "\n";
  }
  if (!(*proc)->eof()) (*proc)->Kill();
  return (*proc)->Wait();
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class InstalledPackageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string out;
    ASSERT_EQ(
        RunToEnd({HOLDFAST_CMAKE_COMMAND, "--install", HOLDFAST_BUILD_DIR, "--prefix", prefix_},
                 &out),
        0)
        << out;
  }

  const testing::TempDir dir_;
  const std::string prefix_ = dir_.Sub("prefix");
  const fs::path libdir_ = fs::path(prefix_) / HOLDFAST_INSTALL_LIBDIR;
};

TEST_F(InstalledPackageTest, InstallsTheProgramTheLibraryAndOnlyThePublicHeaders) {
  EXPECT_TRUE(fs::exists(fs::path(prefix_) / "bin/holdfast"));
  EXPECT_TRUE(fs::exists(libdir_ / "libholdfast_client.a"));
  EXPECT_TRUE(fs::exists(libdir_ / "cmake/holdfast/holdfastConfig.cmake"));
  EXPECT_TRUE(fs::exists(libdir_ / "pkgconfig/holdfast.pc"));

  std::vector<std::string> headers;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(prefix_) / "include")) {
    if (entry.is_regular_file()) {
      headers.push_back(fs::relative(entry.path(), fs::path(prefix_) / "include").string());
    }
  }
  std::sort(headers.begin(), headers.end());
  std::vector<std::string> expected;
  for (const auto& entry :
       fs::directory_iterator(fs::path(HOLDFAST_SOURCE_DIR) / "include/holdfast")) {
    if (entry.path().extension() == ".h") {
      expected.push_back("holdfast/" + entry.path().filename().string());
    }
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(headers, expected) << "include/ holds the public headers and nothing else";

  // No path into the source or build tree may reach a user of the package.
  for (const auto& entry : fs::directory_iterator(libdir_ / "cmake/holdfast")) {
    const std::string text = ReadFile(entry.path());
    EXPECT_EQ(text.find(HOLDFAST_SOURCE_DIR), std::string::npos) << entry.path();
    EXPECT_EQ(text.find(HOLDFAST_BUILD_DIR), std::string::npos) << entry.path();
  }
  EXPECT_EQ(ReadFile(libdir_ / "pkgconfig/holdfast.pc").find(HOLDFAST_SOURCE_DIR),
            std::string::npos);

  // Each public header compiles on its own with the installed include directory alone, warnings
  // as errors: it includes only public headers and standard ones.
  for (const std::string& header : headers) {
    const std::string unit = dir_.Sub("include_" + fs::path(header).stem().string() + ".cc");
    std::ofstream(unit) << "#include <" << header << ">\n";
    std::string out;
    EXPECT_EQ(RunToEnd({HOLDFAST_CXX_COMPILER, "-std=c++20", "-Wall", "-Wextra", "-Werror",
                        "-fsyntax-only", "-I", prefix_ + "/include", unit},
                       &out),
              0)
        << header << " does not compile alone: " << out;
  }
}

TEST_F(InstalledPackageTest, TheExampleBuildsAgainstThePackageAndTalksToTheInstalledBroker) {
  const std::string example = std::string(HOLDFAST_SOURCE_DIR) + "/examples/producer_consumer";
  const std::string build = dir_.Sub("example-build");
  std::string out;
  ASSERT_EQ(
      RunToEnd({HOLDFAST_CMAKE_COMMAND, "-S", example, "-B", build, "-G", HOLDFAST_CMAKE_GENERATOR,
                "-DCMAKE_MAKE_PROGRAM=" HOLDFAST_MAKE_PROGRAM,
                "-DCMAKE_CXX_COMPILER=" HOLDFAST_CXX_COMPILER, "-DCMAKE_PREFIX_PATH=" + prefix_,
                "-DCMAKE_EXE_LINKER_FLAGS=" HOLDFAST_EXAMPLE_LINK_FLAGS},
               &out),
      0)
      << out;
  ASSERT_EQ(RunToEnd({HOLDFAST_CMAKE_COMMAND, "--build", build}, &out), 0) << out;

  // The same program through pkg-config: a static library, so --static brings its dependencies.
  const std::string pkgconfig_example = dir_.Sub("producer_consumer_pkgconfig");
  ASSERT_EQ(RunToEnd({"bash", "-c",
                      std::string(HOLDFAST_CXX_COMPILER) + " -std=c++20 " + example +
                          "/producer_consumer.cc -o " + pkgconfig_example + " " +
                          HOLDFAST_EXAMPLE_LINK_FLAGS +
                          " $(pkg-config --cflags --libs --static holdfast)"},
                     &out, {{"PKG_CONFIG_PATH", (libdir_ / "pkgconfig").string()}}),
            0)
      << out;

  testing::StandaloneBroker broker(prefix_ + "/bin/holdfast", dir_.Sub("data"),
                                   {"--set", "mappedFileSizeCommitLog=67108864"});
  ASSERT_TRUE(broker.Start().ok());
  EXPECT_EQ(
      RunToEnd({build + "/producer_consumer", broker.namesrv_addr(), "ExampleCMake", "10"}, &out),
      0)
      << out;
  EXPECT_NE(out.find("10 sent, 10 read back with their bodies"), std::string::npos) << out;
  EXPECT_EQ(RunToEnd({pkgconfig_example, broker.namesrv_addr(), "ExamplePkgConfig", "5"}, &out), 0)
      << out;
  EXPECT_NE(out.find("5 sent, 5 read back with their bodies"), std::string::npos) << out;
  EXPECT_EQ(broker.Stop(), 0);
}

}  // namespace
}  // namespace holdfast
