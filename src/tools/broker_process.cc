#include "tools/broker_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "tools/free_loopback_port.h"

namespace holdfast::tools {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::string_view kBootLine = "boot success";
// How often the broker port is tried while the process starts: the resolution of time_to_accept.
constexpr int kConnectPollMillis = 1;
constexpr auto kReapPollInterval = std::chrono::milliseconds(5);

// The exit status as text ("exit code 1", "signal 9"), or nullopt while the child runs.
std::optional<std::string> TryReap(pid_t pid, int* code = nullptr) {
  int status = 0;
  pid_t r = ::waitpid(pid, &status, WNOHANG);
  if (r == 0) return std::nullopt;
  if (r < 0) return std::string("already reaped");
  if (code != nullptr) *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (WIFSIGNALED(status)) return fmt::format("signal {}", WTERMSIG(status));
  return fmt::format("exit code {}", WEXITSTATUS(status));
}

std::string LogTail(const std::string& path, size_t n = 800) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  return s.size() <= n ? s : "..." + s.substr(s.size() - n);
}

// fork + exec with stdout to a pipe (returned in *stdout_fd) and stderr to log_path. Only
// async-signal-safe calls between fork and exec: the caller may have other threads.
Result<pid_t> Spawn(const std::vector<std::string>& argv, const std::string& log_path,
                    int* stdout_fd) {
  int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) return Status::FromErrno(errno, "opening " + log_path);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    const int err = errno;
    ::close(log_fd);
    return Status::FromErrno(err, "pipe");
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(log_fd);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return Status::FromErrno(err, "fork");
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(log_fd);
  ::close(pipe_fds[1]);
  *stdout_fd = pipe_fds[0];
  return pid;
}

}  // namespace

Result<std::unique_ptr<BrokerProcess>> BrokerProcess::Start(const BrokerProcessOptions& options) {
  if (options.dir.empty()) return Status::InvalidArgument("the broker's data directory is empty");
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) return Status::IoError("cannot create " + options.dir + ": " + ec.message());
  BrokerProcessOptions o = options;
  if (o.log_path.empty()) o.log_path = o.dir + ".log";
  auto broker_port = FreeLoopbackPort();
  if (!broker_port.ok()) return broker_port.status();
  auto namesrv_port = FreeLoopbackPort();
  if (!namesrv_port.ok()) return namesrv_port.status();
  std::vector<std::string> argv = {o.program,
                                   "standalone",
                                   "--dir",
                                   o.dir,
                                   "-p",
                                   std::to_string(*broker_port),
                                   "--namesrv-port",
                                   std::to_string(*namesrv_port)};
  argv.insert(argv.end(), o.extra_args.begin(), o.extra_args.end());

  int stdout_fd = -1;
  const Clock::time_point spawned = Clock::now();
  auto pid = Spawn(argv, o.log_path, &stdout_fd);
  if (!pid.ok()) return pid.status();
  std::unique_ptr<BrokerProcess> broker(
      new BrokerProcess(o, *pid, stdout_fd, *broker_port, *namesrv_port));

  const Clock::time_point deadline = spawned + o.boot_timeout;
  bool accepted = false;
  bool booted = false;
  bool eof = false;
  std::string output;
  while (!(accepted && booted) && !eof && Clock::now() < deadline) {
    if (!accepted && AcceptsOnLoopback(*broker_port)) {
      broker->time_to_accept_ = Clock::now() - spawned;
      accepted = true;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{stdout_fd, POLLIN, 0};
    const int wait_ms =
        accepted ? static_cast<int>(std::max<int64_t>(1, left.count())) : kConnectPollMillis;
    if (!booted && ::poll(&p, 1, wait_ms) > 0) {
      char buf[4096];
      ssize_t n = ::read(stdout_fd, buf, sizeof buf);
      if (n <= 0) {
        eof = n == 0 || errno != EINTR;
      } else {
        output.append(buf, static_cast<size_t>(n));
        if (output.find(kBootLine) != std::string::npos) {
          broker->time_to_boot_line_ = Clock::now() - spawned;
          booted = true;
        }
      }
    }
  }
  if (accepted && booted) return broker;

  std::string why =
      eof ? "closed its stdout" : fmt::format("did not boot within {} ms", o.boot_timeout.count());
  if (!eof && booted) why = fmt::format("did not accept on port {}", *broker_port);
  ::kill(broker->pid_, SIGKILL);
  int status = 0;
  ::waitpid(broker->pid_, &status, 0);
  broker->pid_ = -1;
  const std::string ended = WIFSIGNALED(status) ? fmt::format("signal {}", WTERMSIG(status))
                                                : fmt::format("exit code {}", WEXITSTATUS(status));
  return Status::Unavailable(fmt::format("{} standalone {} ({}); stdout: '{}'; log {}: {}",
                                         o.program, why, ended, output, o.log_path,
                                         LogTail(o.log_path)));
}

BrokerProcess::~BrokerProcess() {
  Status s = Stop();
  (void)s;
}

Status BrokerProcess::Stop() {
  Status result;
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    const Clock::time_point deadline = Clock::now() + options_.stop_timeout;
    int code = 0;
    std::optional<std::string> ended;
    while (!(ended = TryReap(pid_, &code)) && Clock::now() < deadline) {
      std::this_thread::sleep_for(kReapPollInterval);
    }
    if (!ended) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      result =
          Status::IoError(fmt::format("the broker (pid {}) did not stop within {} ms of "
                                      "SIGTERM; killed",
                                      pid_, options_.stop_timeout.count()));
    } else if (code != 0) {
      result =
          Status::IoError(fmt::format("the broker (pid {}) ended with {} after SIGTERM; log {}: {}",
                                      pid_, *ended, options_.log_path, LogTail(options_.log_path)));
    }
    pid_ = -1;
  }
  if (stdout_fd_ >= 0) {
    ::close(stdout_fd_);
    stdout_fd_ = -1;
  }
  return result;
}

Result<double> ReadProcessCpuSeconds(pid_t pid) {
  const std::string path = fmt::format("/proc/{}/stat", pid);
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return Status::NotFound("cannot read " + path);
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields are counted
  // from the last ')'. utime and stime are fields 14 and 15 of the line, in clock ticks.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return Status::Corruption(path + ": no ')' in '" + line + "'");
  std::istringstream rest(line.substr(close + 1));
  std::string field;
  long long utime = -1;
  long long stime = -1;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::atoll(field.c_str());
    if (i == 15) stime = std::atoll(field.c_str());
  }
  if (utime < 0 || stime < 0)
    return Status::Corruption(path + ": too few fields in '" + line + "'");
  const long ticks = ::sysconf(_SC_CLK_TCK);
  if (ticks <= 0) return Status::Corruption("sysconf(_SC_CLK_TCK) failed");
  return static_cast<double>(utime + stime) / static_cast<double>(ticks);
}

}  // namespace holdfast::tools
