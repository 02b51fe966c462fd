// Subprocess: a child process that the tools and the tests start, read, signal and reap, the one
// way the project runs a program or a function in a process of its own.
//
// The child runs in a process group of its own, with the default signal dispositions and an empty
// signal mask. Its stdout is a pipe to the parent unless SubprocessOptions names a file; stdin and
// stderr are inherited unless the options say otherwise. The parent should read a piped stdout:
// once the pipe's buffer (64 KiB on Linux) is full, the child blocks in write. The child gets
// SIGKILL when the thread that started it ends (PR_SET_PDEATHSIG), so a program or a test that dies
// or is interrupted leaves no child behind; start it from a thread that lives as long as the child
// should (the main thread, normally).
//
// Lifecycle: Spawn or Fork, then any of ReadLine / ReadBytes / Kill / WaitFor, then Wait or
// Terminate.
// Destroying a Subprocess that has not been waited for kills its process group with SIGKILL and
// reaps the child.
//
// Thread safety: none; one thread uses a Subprocess at a time.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace holdfast {

struct SubprocessOptions {
  // Added to the parent's environment, or replacing a variable of the same name.
  std::map<std::string, std::string> extra_env{};
  // stdin from /dev/null instead of the parent's.
  bool stdin_from_dev_null = false;
  // Empty: stdout is a pipe the parent reads with ReadLine / ReadBytes. Otherwise the file it
  // goes to, created or truncated.
  std::string stdout_file{};
  // Empty: stderr is the parent's. Otherwise the file it goes to, created or truncated; the same
  // path as stdout_file makes both share one file, in the order they are written.
  std::string stderr_file{};
};

class Subprocess {
 public:
  // Starts argv[0] (looked up in PATH when it has no '/') with arguments argv[1..]. Fails with
  // InvalidArgument for an empty argv, NotFound when argv[0] is not found in PATH, or the error of
  // open / pipe / fork / execve (a program that cannot be executed is an error here, not an exit
  // status).
  static Result<std::unique_ptr<Subprocess>> Spawn(const std::vector<std::string>& argv,
                                                   const SubprocessOptions& options = {});

  // Forks without exec: the child runs `body` and ends with _exit(its return value), running no
  // destructors or exit handlers of the parent's. Between fork and exec only async-signal-safe
  // calls are safe in a process that has other threads, and `body` makes many: call Fork only
  // while the calling process runs no other thread. extra_env is not applied. Fails with the error
  // of open / pipe / fork.
  static Result<std::unique_ptr<Subprocess>> Fork(const std::function<int()>& body,
                                                  const SubprocessOptions& options = {});

  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }

  // The next line of the child's stdout, without its '\n' (a last line without one is returned
  // at end of file). nullopt when no full line arrived within timeout, or at end of file (all
  // writers closed stdout, normally because the child exited): eof() tells which.
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout);
  // The next n bytes of the child's stdout, or nullopt when they did not all arrive within
  // timeout or end of file came first (eof() tells which; the bytes that did come are kept for
  // the next read).
  std::optional<std::string> ReadBytes(size_t n, std::chrono::milliseconds timeout);
  // True once end of file was reached and every byte has been returned. Always true when stdout
  // went to a file.
  bool eof() const { return eof_ && buffer_.empty(); }

  // Sends sig to the child's process group (the child and whatever it started that stayed in the
  // group). Does nothing once the child has been waited for.
  void Kill(int sig = SIGKILL);
  // Waits for the child to end: its exit code, or -N when signal N ended it (INT_MIN if it was
  // reaped elsewhere, e.g. with SIGCHLD ignored). Later calls return the same value.
  int Wait();
  // As Wait, but gives up after timeout: nullopt while the child still runs.
  std::optional<int> WaitFor(std::chrono::milliseconds timeout);
  // Asks the child to end: SIGTERM to its process group, then SIGKILL when it has not ended
  // within `grace`. The Wait() result, or nullopt when it had to be killed (it is reaped either
  // way). Returns the earlier result when the child has already been waited for.
  std::optional<int> Terminate(std::chrono::milliseconds grace);

 private:
  Subprocess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd), eof_(stdout_fd < 0) {}

  // Appends what the pipe holds to buffer_, waiting until `deadline` for something to arrive;
  // false when nothing came by then. Sets eof_ at end of file.
  bool Fill(std::chrono::steady_clock::time_point deadline);
  // Reaps the child into exit_status_: waits for it when `block`, else only takes an ended one.
  // True once it has been reaped.
  bool Reap(bool block);

  const pid_t pid_;
  int stdout_fd_;  // the read end of the stdout pipe; -1 once closed or when there is none
  std::string buffer_;
  bool eof_;
  std::optional<int> exit_status_;
};

// A Wait() result as words: "exit code 3", "signal 9 (Killed)", "already reaped".
std::string DescribeExitStatus(int status);

// The directory holding the running executable (from /proc/self/exe), so that a program or a
// test can find the programs built beside it. Empty if it cannot be determined.
std::string SelfExeDir();

}  // namespace holdfast
