// A child process for integration and crash tests: start a program, read its stdout line by line,
// kill it (kill -9 to simulate a crash) and collect its exit status.
//
// The child runs in a process group of its own, with the default signal dispositions and an empty
// signal mask; stdin and stderr are inherited, stdout is a pipe to the parent. The parent should
// read what the child prints: once the pipe's buffer (64 KiB on Linux) is full, the child blocks in
// write. The child gets SIGKILL when the thread that spawned it ends (PR_SET_PDEATHSIG), so a test
// binary that dies or is interrupted leaves no child behind; spawn from a thread that lives as long
// as the child should (the test's main thread, normally).
//
// Lifecycle: Spawn, then any of ReadLine / Kill, then Wait. Destroying a Subprocess that has not
// been waited for kills its process group with SIGKILL and reaps the child.
//
// Thread safety: none; one thread uses a Subprocess at a time.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace holdfast::testing {

class Subprocess {
 public:
  // Starts argv[0] (looked up in PATH when it has no '/') with arguments argv[1..] and the
  // parent's environment, in which extra_env adds or replaces variables. Fails with
  // InvalidArgument for an empty argv, NotFound when argv[0] is not found in PATH, or the error of
  // pipe / fork / execve (a program that cannot be executed is an error here, not an exit status).
  static Result<std::unique_ptr<Subprocess>> Spawn(
      const std::vector<std::string>& argv,
      const std::map<std::string, std::string>& extra_env = {});

  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }

  // The next line of the child's stdout, without its '\n' (a last line without one is returned
  // at end of file). nullopt when no full line arrived within timeout, or at end of file (all
  // writers closed stdout, normally because the child exited): eof() tells which.
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout);
  // True once end of file was reached and every line has been returned.
  bool eof() const { return eof_ && buffer_.empty(); }

  // Sends sig to the child's process group (the child and whatever it started that stayed in the
  // group). Does nothing once the child has been waited for.
  void Kill(int sig = SIGKILL);
  // Waits for the child to end: its exit code, or -N when signal N ended it (INT_MIN if it was
  // reaped elsewhere, e.g. with SIGCHLD ignored). Later calls return the same value.
  int Wait();

 private:
  Subprocess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}

  const pid_t pid_;
  int stdout_fd_;  // the read end of the stdout pipe; -1 once closed
  std::string buffer_;
  bool eof_ = false;
  std::optional<int> exit_status_;
};

// The directory holding the running executable (from /proc/self/exe), so tests can find programs
// built beside them. Empty if it cannot be determined.
std::string SelfExeDir();

}  // namespace holdfast::testing
