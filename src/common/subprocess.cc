// Both ways of starting a child share OpenStreams (the descriptors the child's stdin, stdout and
// stderr become, opened in the parent with O_CLOEXEC) and PrepareChild (process group, death
// signal, signal state, redirections), which runs between fork and exec and so makes only
// async-signal-safe calls. Spawn reports a failed exec through a second CLOEXEC pipe, which a
// successful exec closes unread.
#include "common/subprocess.h"

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
#include <thread>
#include <utility>

#include <fmt/format.h>

extern char** environ;

namespace holdfast {

namespace {

using Clock = std::chrono::steady_clock;
// How often WaitFor looks whether the child has ended.
constexpr auto kReapPollInterval = std::chrono::milliseconds(5);

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

// A descriptor, closed when this goes out of scope; -1 holds none.
class OwnedFd {
 public:
  OwnedFd() = default;
  explicit OwnedFd(int fd) : fd_(fd) {}
  ~OwnedFd() { Reset(); }
  OwnedFd(OwnedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  OwnedFd& operator=(OwnedFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }

  int get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// The descriptors the child's standard streams become (-1: the parent's stays), and the parent's
// end of the stdout pipe when there is one.
struct ChildStreams {
  OwnedFd in;
  OwnedFd out;
  OwnedFd err;
  bool err_is_out = false;
  OwnedFd pipe_read;
};

Result<OwnedFd> OpenForChild(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno(errno, "open " + path);
  return OwnedFd(fd);
}

Result<ChildStreams> OpenStreams(const SubprocessOptions& options) {
  constexpr int kOutputFlags = O_WRONLY | O_CREAT | O_TRUNC;
  ChildStreams s;
  if (options.stdin_from_dev_null) {
    auto in = OpenForChild("/dev/null", O_RDONLY);
    if (!in.ok()) return in.status();
    s.in = std::move(in).value();
  }
  if (options.stdout_file.empty()) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Status::FromErrno(errno, "pipe");
    s.pipe_read = OwnedFd(fds[0]);
    s.out = OwnedFd(fds[1]);
  } else {
    auto out = OpenForChild(options.stdout_file, kOutputFlags);
    if (!out.ok()) return out.status();
    s.out = std::move(out).value();
  }
  if (!options.stderr_file.empty() && options.stderr_file == options.stdout_file) {
    s.err_is_out = true;
  } else if (!options.stderr_file.empty()) {
    auto err = OpenForChild(options.stderr_file, kOutputFlags);
    if (!err.ok()) return err.status();
    s.err = std::move(err).value();
  }
  return s;
}

// Makes `fd` the child's descriptor `target`, kept across exec. True when fd is -1 (nothing to
// do). Async-signal-safe.
bool Redirect(int fd, int target) {
  if (fd < 0) return true;
  if (fd == target) return ::fcntl(fd, F_SETFD, 0) == 0;
  return ::dup2(fd, target) >= 0;
}

// Runs in the forked child: only async-signal-safe calls. 0, or the errno of the redirection that
// failed. Ends the child when the parent has already died.
int PrepareChild(pid_t parent, const ChildStreams& s) {
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
  if (s.pipe_read.get() >= 0) ::close(s.pipe_read.get());  // the parent's end
  if (!Redirect(s.in.get(), STDIN_FILENO) || !Redirect(s.out.get(), STDOUT_FILENO) ||
      !Redirect(s.err_is_out ? s.out.get() : s.err.get(), STDERR_FILENO)) {
    return errno;
  }
  return 0;
}

}  // namespace

Result<std::unique_ptr<Subprocess>> Subprocess::Spawn(const std::vector<std::string>& argv,
                                                      const SubprocessOptions& options) {
  if (argv.empty()) return Status::InvalidArgument("Subprocess::Spawn: empty argv");
  std::optional<std::string> program = ResolveProgram(argv[0]);
  if (!program) return Status::NotFound("Subprocess::Spawn: " + argv[0] + " not found in PATH");
  std::vector<std::string> args = argv;
  std::vector<char*> arg_pointers = PointerArray(args);
  std::vector<std::string> env = BuildEnvironment(options.extra_env);
  std::vector<char*> env_pointers = PointerArray(env);

  auto streams = OpenStreams(options);
  if (!streams.ok()) return streams.status();
  int exec_status_fds[2];
  if (::pipe2(exec_status_fds, O_CLOEXEC) != 0) return Status::FromErrno(errno, "pipe");
  OwnedFd exec_status_read(exec_status_fds[0]);
  OwnedFd exec_status_write(exec_status_fds[1]);

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    int err = PrepareChild(parent, *streams);
    if (err == 0) {
      ::execve(program->c_str(), arg_pointers.data(), env_pointers.data());
      err = errno;
    }
    (void)!::write(exec_status_write.get(), &err, sizeof err);
    ::_exit(127);
  }
  const int fork_errno = errno;
  exec_status_write.Reset();
  streams->in.Reset();
  streams->out.Reset();
  streams->err.Reset();
  if (pid < 0) return Status::FromErrno(fork_errno, "fork");

  int exec_errno = 0;
  ssize_t n;
  do {
    n = ::read(exec_status_read.get(), &exec_errno, sizeof exec_errno);
  } while (n < 0 && errno == EINTR);
  if (n > 0) {
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    return Status::FromErrno(exec_errno, "exec " + *program);
  }
  return std::unique_ptr<Subprocess>(new Subprocess(pid, streams->pipe_read.Release()));
}

Result<std::unique_ptr<Subprocess>> Subprocess::Fork(const std::function<int()>& body,
                                                     const SubprocessOptions& options) {
  auto streams = OpenStreams(options);
  if (!streams.ok()) return streams.status();
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (PrepareChild(parent, *streams) != 0) ::_exit(127);
    int code = 127;
    try {
      code = body();
    } catch (...) {  // an exception must not unwind into the parent's code in this process
    }
    ::_exit(code);
  }
  const int fork_errno = errno;
  streams->in.Reset();
  streams->out.Reset();
  streams->err.Reset();
  if (pid < 0) return Status::FromErrno(fork_errno, "fork");
  return std::unique_ptr<Subprocess>(new Subprocess(pid, streams->pipe_read.Release()));
}

Subprocess::~Subprocess() {
  if (!exit_status_) {
    Kill(SIGKILL);
    Wait();
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

bool Subprocess::Fill(Clock::time_point deadline) {
  while (!eof_) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    struct pollfd pfd = {stdout_fd_, POLLIN, 0};
    int ready = ::poll(&pfd, 1, static_cast<int>(std::max<int64_t>(left.count(), 0)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return false;  // timed out
    char chunk[4096];
    ssize_t n = ready < 0 ? -1 : ::read(stdout_fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {  // end of file, or an error that ends the stream just the same
      eof_ = true;
      ::close(stdout_fd_);
      stdout_fd_ = -1;
      return true;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  return false;
}

std::optional<std::string> Subprocess::ReadLine(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    size_t newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    if (eof_) {
      if (buffer_.empty()) return std::nullopt;
      return std::exchange(buffer_, std::string());
    }
    if (!Fill(deadline)) return std::nullopt;
  }
}

std::optional<std::string> Subprocess::ReadBytes(size_t n, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (buffer_.size() >= n) {
      std::string bytes = buffer_.substr(0, n);
      buffer_.erase(0, n);
      return bytes;
    }
    if (eof_) {
      buffer_.clear();  // a part that can never be completed
      return std::nullopt;
    }
    if (!Fill(deadline)) return std::nullopt;
  }
}

void Subprocess::Kill(int sig) {
  if (exit_status_) return;
  ::kill(-pid_, sig);
}

bool Subprocess::Reap(bool block) {
  if (exit_status_) return true;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == 0) return false;  // still running
  if (r < 0) {
    exit_status_ = std::numeric_limits<int>::min();  // reaped elsewhere (SIGCHLD ignored?)
  } else if (WIFEXITED(status)) {
    exit_status_ = WEXITSTATUS(status);
  } else {
    exit_status_ = -WTERMSIG(status);
  }
  return true;
}

int Subprocess::Wait() {
  Reap(true);
  return *exit_status_;
}

std::optional<int> Subprocess::WaitFor(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!Reap(false)) {
    const auto left = deadline - Clock::now();
    if (left <= Clock::duration::zero()) return std::nullopt;
    std::this_thread::sleep_for(std::min<Clock::duration>(left, kReapPollInterval));
  }
  return *exit_status_;
}

std::optional<int> Subprocess::Terminate(std::chrono::milliseconds grace) {
  if (exit_status_) return exit_status_;
  Kill(SIGTERM);
  if (std::optional<int> status = WaitFor(grace)) return status;
  Kill(SIGKILL);
  Wait();
  return std::nullopt;
}

std::string DescribeExitStatus(int status) {
  if (status == std::numeric_limits<int>::min()) return "already reaped";
  if (status >= 0) return fmt::format("exit code {}", status);
  const char* name = ::sigdescr_np(-status);
  return name != nullptr ? fmt::format("signal {} ({})", -status, name)
                         : fmt::format("signal {}", -status);
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

}  // namespace holdfast
