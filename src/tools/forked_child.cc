#include "tools/forked_child.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace holdfast::tools {

namespace {

// The child's answer on the pipe: one byte, 'o' (ok) or 'e' (error), then the value or the error
// message.
bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

Result<std::string> RunInForkedChild(const std::function<Result<std::string>()>& body) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Status::FromErrno(errno, "pipe2");
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return Status::FromErrno(err, "fork");
  }
  if (pid == 0) {
    ::close(fds[0]);
    Result<std::string> answer = body();
    const std::string message = answer.ok() ? "o" + *answer : "e" + answer.status().ToString();
    ::_exit(WriteAll(fds[1], message) ? 0 : 1);
  }
  ::close(fds[1]);
  std::string message;
  char buf[4096];
  while (true) {
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    message.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(wstatus)) {
    return Status::IoError(fmt::format("the child was killed by signal {}", WTERMSIG(wstatus)));
  }
  if (message.empty() || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    return Status::IoError("the child exited without answering");
  }
  if (message[0] == 'e') return Status::IoError("in the child: " + message.substr(1));
  return message.substr(1);
}

}  // namespace holdfast::tools
