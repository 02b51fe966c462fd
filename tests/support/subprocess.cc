#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>

extern char** environ;

namespace holdfast::testing {

namespace {

// argv[0] as execve needs it: unchanged when it names a path, else the first executable of that
// name in $PATH (resolved here, before fork, because the child may only make async-signal-safe
// calls).
std::optional<std::string> ResolveProgram(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path_env = std::getenv("PATH");
  std::string path = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
  size_t begin = 0;
  while (begin <= path.size()) {
    size_t end = path.find(':', begin);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(begin, end - begin);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    begin = end + 1;
  }
  return std::nullopt;
}

std::vector<std::string> BuildEnvironment(const std::map<std::string, std::string>& extra_env) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry = *e;
    std::string key = entry.substr(0, entry.find('='));
    if (extra_env.count(key) == 0) env.push_back(std::move(entry));
  }
  for (const auto& [key, value] : extra_env) env.push_back(key + "=" + value);
  return env;
}

std::vector<char*> PointerArray(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Runs in the forked child: only async-signal-safe calls. Never returns.
[[noreturn]] void ExecChild(pid_t parent, int stdout_fd, int status_fd, const char* program,
                            char* const* argv, char* const* envp) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);  // fails for KILL, STOP
  sigset_t empty;
  ::sigemptyset(&empty);
  ::sigprocmask(SIG_SETMASK, &empty, nullptr);
  if (stdout_fd == STDOUT_FILENO) {
    ::fcntl(stdout_fd, F_SETFD, 0);  // keep it across exec
  } else if (::dup2(stdout_fd, STDOUT_FILENO) < 0) {
    int err = errno;
    (void)!::write(status_fd, &err, sizeof err);
    ::_exit(127);
  }
  ::execve(program, argv, envp);
  int err = errno;
  (void)!::write(status_fd, &err, sizeof err);
  ::_exit(127);
}

}  // namespace

Result<std::unique_ptr<Subprocess>> Subprocess::Spawn(
    const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env) {
  if (argv.empty()) return Status::InvalidArgument("Subprocess::Spawn: empty argv");
  std::optional<std::string> program = ResolveProgram(argv[0]);
  if (!program) return Status::NotFound("Subprocess::Spawn: " + argv[0] + " not found in PATH");
  std::vector<std::string> args = argv;
  std::vector<char*> arg_pointers = PointerArray(args);
  std::vector<std::string> env = BuildEnvironment(extra_env);
  std::vector<char*> env_pointers = PointerArray(env);

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return Status::FromErrno(errno, "pipe");
  // The child reports a failed exec through this pipe; a successful exec closes it (CLOEXEC).
  int exec_status[2];
  if (::pipe2(exec_status, O_CLOEXEC) != 0) {
    int err = errno;
    ::close(out[0]);
    ::close(out[1]);
    return Status::FromErrno(err, "pipe");
  }

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ExecChild(parent, out[1], exec_status[1], program->c_str(), arg_pointers.data(),
              env_pointers.data());
  }
  int fork_errno = errno;
  ::close(out[1]);
  ::close(exec_status[1]);
  if (pid < 0) {
    ::close(out[0]);
    ::close(exec_status[0]);
    return Status::FromErrno(fork_errno, "fork");
  }

  int exec_errno = 0;
  ssize_t n;
  do {
    n = ::read(exec_status[0], &exec_errno, sizeof exec_errno);
  } while (n < 0 && errno == EINTR);
  ::close(exec_status[0]);
  if (n > 0) {
    ::close(out[0]);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    return Status::FromErrno(exec_errno, "exec " + *program);
  }
  return std::unique_ptr<Subprocess>(new Subprocess(pid, out[0]));
}

Subprocess::~Subprocess() {
  if (!exit_status_) {
    Kill(SIGKILL);
    Wait();
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::optional<std::string> Subprocess::ReadLine(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    size_t newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    if (eof_) {
      if (buffer_.empty()) return std::nullopt;
      std::string line = std::move(buffer_);
      buffer_.clear();
      return line;
    }
    auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    struct pollfd pfd = {stdout_fd_, POLLIN, 0};
    int ready = ::poll(&pfd, 1, static_cast<int>(std::max<int64_t>(left.count(), 0)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return std::nullopt;  // timed out
    char chunk[4096];
    ssize_t n = ready < 0 ? -1 : ::read(stdout_fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {  // end of file, or an error that ends the stream just the same
      eof_ = true;
      ::close(stdout_fd_);
      stdout_fd_ = -1;
      continue;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

void Subprocess::Kill(int sig) {
  if (exit_status_) return;
  ::kill(-pid_, sig);
}

int Subprocess::Wait() {
  if (exit_status_) return *exit_status_;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    exit_status_ = std::numeric_limits<int>::min();  // reaped elsewhere (SIGCHLD ignored?)
  } else if (WIFEXITED(status)) {
    exit_status_ = WEXITSTATUS(status);
  } else {
    exit_status_ = -WTERMSIG(status);
  }
  return *exit_status_;
}

std::string SelfExeDir() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string path(buf, static_cast<size_t>(n));
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace holdfast::testing
