#include "tools/limits/redis_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "common/loopback_port.h"
#include "tools/text_file.h"

namespace holdfast::tools {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(5);
constexpr int kStartAttempts = 3;  // another process may take the free port before the server
constexpr size_t kOutputTailChars = 600;

// stdin from /dev/null, stdout and stderr to `path`.
SubprocessOptions LoggedTo(const std::string& path) {
  return {.stdin_from_dev_null = true, .stdout_file = path, .stderr_file = path};
}

std::string FileTail(const std::string& path) {
  return TextTail(ReadTextFile(path).value_or(""), kOutputTailChars);
}

// True when a redis server on 127.0.0.1:port answers PING with +PONG.
bool AnswersPing(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  timeval timeout{0, 500000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  const sockaddr_in addr = LoopbackAddress(port);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
    constexpr std::string_view kPing = "PING\r\n";
    char reply[16] = {};
    if (::send(fd, kPing.data(), kPing.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(kPing.size())) {
      ssize_t n = ::recv(fd, reply, sizeof reply - 1, 0);
      ok = n >= 5 && std::string_view(reply, static_cast<size_t>(n)).starts_with("+PONG");
    }
  }
  ::close(fd);
  return ok;
}

}  // namespace

Result<std::unique_ptr<RedisPeer>> RedisPeer::Start(const RedisPeerOptions& options) {
  std::string parent = options.parent_dir;
  if (parent.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    parent = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  std::string pattern = parent + "/holdfast-redis-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Status::FromErrno(errno, "creating a directory in " + parent);
  }
  const std::string dir = pattern;
  const std::string log = dir + "/redis-server.log";
  std::string last_error;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    auto port = FreeLoopbackPort();
    if (!port.ok()) {
      std::filesystem::remove_all(dir);
      return port.status();
    }
    auto server = Subprocess::Spawn(
        {options.redis_server, "--port", std::to_string(*port), "--bind", "127.0.0.1", "--dir", dir,
         "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no"},
        LoggedTo(log));
    if (!server.ok()) {
      std::filesystem::remove_all(dir);
      return server.status();
    }
    const auto deadline = Clock::now() + options.start_timeout;
    std::optional<int> ended;
    while (!(ended = (*server)->WaitFor(kPollInterval))) {
      if (AnswersPing(*port)) {
        return std::unique_ptr<RedisPeer>(
            new RedisPeer(options, dir, *port, std::move(server).value()));
      }
      if (Clock::now() >= deadline) {
        (*server)->Kill(SIGKILL);
        (*server)->Wait();
        const std::string tail = FileTail(log);
        std::filesystem::remove_all(dir);
        return Status::IoError(fmt::format("{} did not answer PING on port {} within {} ms: {}",
                                           options.redis_server, *port,
                                           options.start_timeout.count(), tail));
      }
    }
    // It exited: most likely another process took the port first; try a new one.
    last_error =
        fmt::format("{} ended ({}) before answering PING on port {}: {}", options.redis_server,
                    DescribeExitStatus(*ended), *port, FileTail(log));
  }
  std::filesystem::remove_all(dir);
  return Status::IoError(last_error);
}

RedisPeer::~RedisPeer() {
  Status s = Stop();
  (void)s;
}

Result<RedisBenchmarkResult> RedisPeer::RunXadd(const RedisXaddOptions& options) const {
  if (options.clients < 1 || options.requests < 1) {
    return Status::InvalidArgument(
        fmt::format("redis-benchmark needs at least 1 client and 1 request (got -c {} -n {})",
                    options.clients, options.requests));
  }
  const std::string out_path = dir_ + "/redis-benchmark.csv";
  auto benchmark = Subprocess::Spawn(
      {options_.redis_benchmark, "-h", "127.0.0.1", "-p", std::to_string(port_), "-c",
       std::to_string(options.clients), "-n", std::to_string(options.requests), "--csv", "XADD",
       options.stream, "*", "payload", std::string(options.value_bytes, 'x')},
      LoggedTo(out_path));
  if (!benchmark.ok()) return benchmark.status();
  const int status = (*benchmark)->Wait();
  const std::string output = ReadTextFile(out_path).value_or("");
  if (status != 0) {
    return Status::IoError(fmt::format("{} failed ({}): {}", options_.redis_benchmark,
                                       DescribeExitStatus(status),
                                       TextTail(output, kOutputTailChars)));
  }
  // Lines before the CSV header (warnings) are not part of the table.
  const size_t header = output.find("\"test\"");
  if (header == std::string::npos) {
    return Status::IoError(fmt::format("{} printed no CSV table: {}", options_.redis_benchmark,
                                       TextTail(output, kOutputTailChars)));
  }
  return ParseRedisBenchmarkCsv(std::string_view(output).substr(header));
}

Status RedisPeer::Stop() {
  Status result;
  if (server_) {
    if (!server_->Terminate(options_.stop_timeout)) {
      result = Status::IoError(fmt::format("{} did not stop within {} ms of SIGTERM; killed",
                                           options_.redis_server, options_.stop_timeout.count()));
    }
    server_.reset();
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    if (ec && result.ok()) result = Status::IoError("removing " + dir_ + ": " + ec.message());
  }
  return result;
}

}  // namespace holdfast::tools
