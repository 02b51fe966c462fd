#include "tests/support/subprocess.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "tests/support/free_port.h"

namespace holdfast::testing {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kLineTimeout{10000};

std::unique_ptr<Subprocess> SpawnOrDie(const std::vector<std::string>& argv,
                                       const std::map<std::string, std::string>& env = {}) {
  auto child = Subprocess::Spawn(argv, env);
  EXPECT_TRUE(child.ok()) << child.status().ToString();
  return child.ok() ? std::move(child).value() : nullptr;
}

TEST(SubprocessTest, ReadsLinesAndReportsKillBySignal) {
  auto child = SpawnOrDie({"/bin/sh", "-c", "echo hi; echo there; sleep 30"});
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(child->ReadLine(kLineTimeout), "hi");
  EXPECT_EQ(child->ReadLine(kLineTimeout), "there");
  EXPECT_EQ(child->ReadLine(milliseconds(50)), std::nullopt);
  EXPECT_FALSE(child->eof());  // a timeout, not the end

  child->Kill(SIGKILL);
  EXPECT_EQ(child->Wait(), -SIGKILL);
  EXPECT_EQ(child->Wait(), -SIGKILL);
  // The whole process group died, so nobody holds the pipe any more.
  EXPECT_EQ(child->ReadLine(kLineTimeout), std::nullopt);
  EXPECT_TRUE(child->eof());
}

TEST(SubprocessTest, ReportsExitCode) {
  auto child = SpawnOrDie({"sh", "-c", "exit 3"});
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(child->ReadLine(kLineTimeout), std::nullopt);
  EXPECT_TRUE(child->eof());
  EXPECT_EQ(child->Wait(), 3);
}

TEST(SubprocessTest, ReturnsALastLineWithoutNewline) {
  auto child = SpawnOrDie({"printf", "a\\nb"});
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(child->ReadLine(kLineTimeout), "a");
  EXPECT_EQ(child->ReadLine(kLineTimeout), "b");
  EXPECT_EQ(child->ReadLine(kLineTimeout), std::nullopt);
  EXPECT_TRUE(child->eof());
  EXPECT_EQ(child->Wait(), 0);
}

TEST(SubprocessTest, PassesExtraEnvironment) {
  auto child = SpawnOrDie({"/bin/sh", "-c", "echo \"$HOLDFAST_TEST_VAR\" \"$HOME\""},
                          {{"HOLDFAST_TEST_VAR", "42"}, {"HOME", "/nowhere"}});
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(child->ReadLine(kLineTimeout), "42 /nowhere");
  EXPECT_EQ(child->Wait(), 0);
}

TEST(SubprocessTest, SpawnFailsForBadArguments) {
  EXPECT_EQ(Subprocess::Spawn({}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(Subprocess::Spawn({"holdfast-no-such-program"}).status().IsNotFound());
  EXPECT_FALSE(Subprocess::Spawn({"/nonexistent/holdfast"}).ok());
}

TEST(SubprocessTest, DestructorKillsAndReapsTheChild) {
  pid_t pid;
  {
    auto child = SpawnOrDie({"sleep", "30"});
    ASSERT_NE(child, nullptr);
    pid = child->pid();
  }
  errno = 0;
  EXPECT_NE(::kill(pid, 0), 0);
  EXPECT_EQ(errno, ESRCH);
}

TEST(SubprocessTest, SelfExeDirHoldsThisTest) {
  std::string dir = SelfExeDir();
  ASSERT_FALSE(dir.empty());
  EXPECT_EQ(::access((dir + "/support_test").c_str(), X_OK), 0) << dir;
}

TEST(FreeTcpPortTest, ReturnsABindablePort) {
  int port = FreeTcpPort();
  ASSERT_GT(port, 0);
  ASSERT_LT(port, 65536);
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  struct sockaddr_in addr;
  std::memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  EXPECT_EQ(::bind(fd, reinterpret_cast<struct sockaddr*>(&addr), sizeof addr), 0)
      << std::strerror(errno);
  ::close(fd);
}

}  // namespace
}  // namespace holdfast::testing
