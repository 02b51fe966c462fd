#include "common/subprocess.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>

#include "tests/support/temp_dir.h"

namespace holdfast {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kLineTimeout{10000};

std::unique_ptr<Subprocess> SpawnOrDie(const std::vector<std::string>& argv,
                                       const SubprocessOptions& options = {}) {
  auto child = Subprocess::Spawn(argv, options);
  EXPECT_TRUE(child.ok()) << child.status().ToString();
  return child.ok() ? std::move(child).value() : nullptr;
}

std::string FileText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
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

TEST(SubprocessTest, ReadsExactByteCountsAndDropsAnIncompleteRest) {
  auto child = SpawnOrDie({"printf", "abcdefg"});
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(child->ReadBytes(3, kLineTimeout), "abc");
  EXPECT_EQ(child->ReadBytes(2, kLineTimeout), "de");
  EXPECT_EQ(child->ReadBytes(5, kLineTimeout), std::nullopt);  // only "fg" remain
  EXPECT_TRUE(child->eof());
  EXPECT_EQ(child->Wait(), 0);
}

TEST(SubprocessTest, PassesExtraEnvironment) {
  auto child = SpawnOrDie({"/bin/sh", "-c", "echo \"$HOLDFAST_TEST_VAR\" \"$HOME\""},
                          {.extra_env = {{"HOLDFAST_TEST_VAR", "42"}, {"HOME", "/nowhere"}}});
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(child->ReadLine(kLineTimeout), "42 /nowhere");
  EXPECT_EQ(child->Wait(), 0);
}

TEST(SubprocessTest, SendsStdoutAndStderrToFilesAndStdinFromDevNull) {
  testing::TempDir dir;
  const std::string both = dir.Sub("both.log");
  // cat ends at once on /dev/null; on an inherited terminal or pipe it could wait for input.
  auto child = SpawnOrDie({"/bin/sh", "-c", "cat; echo out; echo err >&2"},
                          {.stdin_from_dev_null = true, .stdout_file = both, .stderr_file = both});
  ASSERT_NE(child, nullptr);
  EXPECT_TRUE(child->eof());  // nothing to read: stdout went to the file
  EXPECT_EQ(child->Wait(), 0);
  EXPECT_EQ(FileText(both), "out\nerr\n");

  const std::string out = dir.Sub("out.log");
  const std::string err = dir.Sub("err.log");
  child = SpawnOrDie({"/bin/sh", "-c", "echo out; echo err >&2"},
                     {.stdout_file = out, .stderr_file = err});
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(child->Wait(), 0);
  EXPECT_EQ(FileText(out), "out\n");
  EXPECT_EQ(FileText(err), "err\n");
}

TEST(SubprocessTest, SpawnFailsForBadArguments) {
  EXPECT_EQ(Subprocess::Spawn({}).status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(Subprocess::Spawn({"holdfast-no-such-program"}).status().IsNotFound());
  EXPECT_FALSE(Subprocess::Spawn({"/nonexistent/holdfast"}).ok());
  auto no_dir = Subprocess::Spawn({"true"}, {.stdout_file = "/nonexistent/dir/out.log"});
  ASSERT_FALSE(no_dir.ok());
  EXPECT_NE(no_dir.status().message().find("/nonexistent/dir/out.log"), std::string::npos)
      << no_dir.status().ToString();
}

TEST(SubprocessTest, ForkRunsAFunctionWhoseResultIsTheExitCode) {
  auto child = Subprocess::Fork([] {
    constexpr char kReport[] = "report";
    return ::write(STDOUT_FILENO, kReport, 6) == 6 ? 7 : 1;
  });
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  EXPECT_EQ((*child)->ReadBytes(6, kLineTimeout), "report");
  EXPECT_EQ((*child)->Wait(), 7);
}

TEST(SubprocessTest, WaitForGivesUpOnARunningChildAndReturnsOnceItEnded) {
  auto child = SpawnOrDie({"sleep", "30"});
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(child->WaitFor(milliseconds(20)), std::nullopt);
  child->Kill(SIGTERM);
  EXPECT_EQ(child->WaitFor(kLineTimeout), -SIGTERM);
  EXPECT_EQ(child->Wait(), -SIGTERM);
}

TEST(SubprocessTest, TerminateKillsAChildThatIgnoresSigterm) {
  auto polite = SpawnOrDie({"sleep", "30"});
  ASSERT_NE(polite, nullptr);
  EXPECT_EQ(polite->Terminate(kLineTimeout), -SIGTERM);
  EXPECT_EQ(polite->Terminate(kLineTimeout), -SIGTERM);  // already waited for

  auto stubborn = SpawnOrDie({"/bin/sh", "-c", "trap '' TERM; echo ready; sleep 30"});
  ASSERT_NE(stubborn, nullptr);
  ASSERT_EQ(stubborn->ReadLine(kLineTimeout), "ready");  // the trap is set
  EXPECT_EQ(stubborn->Terminate(milliseconds(50)), std::nullopt);
  EXPECT_EQ(stubborn->Wait(), -SIGKILL);
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

TEST(SubprocessTest, ExitStatusIsDescribedInWords) {
  EXPECT_EQ(DescribeExitStatus(1), "exit code 1");
  EXPECT_EQ(DescribeExitStatus(-SIGKILL), "signal 9 (Killed)");
  EXPECT_EQ(DescribeExitStatus(std::numeric_limits<int>::min()), "already reaped");
}

TEST(SubprocessTest, SelfExeDirHoldsThisTest) {
  std::string dir = SelfExeDir();
  ASSERT_FALSE(dir.empty());
  EXPECT_EQ(::access((dir + "/common_test").c_str(), X_OK), 0) << dir;
}

}  // namespace
}  // namespace holdfast
