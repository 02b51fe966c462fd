// One listening socket on 127.0.0.1:0; the clients connect first, the server accepts every
// connection and gives each its own echo thread, and only then does the measured period start for
// all clients at once (a start flag under a mutex). Each client stops at the deadline or after its
// round-trip budget, shuts its socket down for writing, and its server thread, reading end of
// file, ends too.
#include "tools/limits/loopback_limits.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "common/loopback_port.h"

namespace holdfast::tools {

namespace {

using Clock = std::chrono::steady_clock;

// Closes the descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd& operator=(Fd&&) = delete;
  Fd(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

void NoDelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// Reads exactly n bytes: Ok, NotFound at end of file before the first byte, or the error.
Status ReadFully(int fd, char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::recv(fd, buf + got, n - got, 0);
    if (r == 0) {
      return got == 0 ? Status::NotFound("end of file")
                      : Status::IoError("connection closed in the middle of a message");
    }
    if (r < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(errno, "recv");
    }
    got += static_cast<size_t>(r);
  }
  return Status::Ok();
}

Status WriteFully(int fd, const char* buf, size_t n) {
  size_t sent = 0;
  while (sent < n) {
    ssize_t r = ::send(fd, buf + sent, n - sent, MSG_NOSIGNAL);
    if (r < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(errno, "send");
    }
    sent += static_cast<size_t>(r);
  }
  return Status::Ok();
}

// The server side of one connection: a reply for every whole request, until end of file.
void Answer(int fd, size_t request_bytes, size_t reply_bytes) {
  std::string request(request_bytes, '\0');
  const std::string reply(reply_bytes, 'r');
  while (ReadFully(fd, request.data(), request.size()).ok() &&
         WriteFully(fd, reply.data(), reply.size()).ok()) {
  }
}

struct ClientResult {
  LatencyRecorder latency;
  Status status;
  Clock::time_point finished;
};

// Released once every connection is up, so that all clients measure the same period.
class StartGate {
 public:
  void Open(Clock::time_point deadline) {
    std::lock_guard lock(mu_);
    deadline_ = deadline;
    open_ = true;
    cv_.notify_all();
  }
  Clock::time_point Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return open_; });
    return deadline_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  Clock::time_point deadline_;
};

void Ask(int fd, const LoopbackPingPongOptions& o, StartGate* gate, ClientResult* result) {
  const std::string request(o.request_bytes, 'q');
  std::string reply(o.reply_bytes, '\0');
  const Clock::time_point deadline = gate->Wait();
  for (int64_t n = 0; o.round_trips_per_connection <= 0 || n < o.round_trips_per_connection; ++n) {
    const Clock::time_point t0 = Clock::now();
    if (t0 >= deadline) break;
    if (Status s = WriteFully(fd, request.data(), request.size()); !s.ok()) {
      result->status = s;
      break;
    }
    if (Status s = ReadFully(fd, reply.data(), reply.size()); !s.ok()) {
      result->status = s.IsNotFound() ? Status::IoError("the server closed the connection") : s;
      break;
    }
    result->latency.Record(Clock::now() - t0);
  }
  result->finished = Clock::now();
  ::shutdown(fd, SHUT_WR);  // the server thread reads end of file and ends
}

Status Validate(const LoopbackPingPongOptions& o) {
  constexpr size_t kMaxBytes = 16 * 1024 * 1024;
  if (o.connections < 1 || o.connections > 1024) {
    return Status::InvalidArgument(
        fmt::format("loopback connections {} is not in 1..1024", o.connections));
  }
  if (o.request_bytes < 1 || o.request_bytes > kMaxBytes || o.reply_bytes < 1 ||
      o.reply_bytes > kMaxBytes) {
    return Status::InvalidArgument(fmt::format(
        "loopback request {} / reply {} bytes not in 1..16 MiB", o.request_bytes, o.reply_bytes));
  }
  if (!(o.seconds > 0)) {
    return Status::InvalidArgument(fmt::format("loopback seconds {} must be positive", o.seconds));
  }
  return Status::Ok();
}

}  // namespace

Result<LoopbackPingPongStats> MeasureLoopbackPingPong(const LoopbackPingPongOptions& o) {
  if (Status s = Validate(o); !s.ok()) return s;
  Fd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (listener.get() < 0) return Status::FromErrno(errno, "socket");
  sockaddr_in addr = LoopbackAddress(0);
  socklen_t len = sizeof addr;
  if (::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return Status::FromErrno(errno, "bind 127.0.0.1:0");
  }
  if (::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return Status::FromErrno(errno, "getsockname");
  }
  if (::listen(listener.get(), o.connections) != 0) return Status::FromErrno(errno, "listen");

  // Connect every client, then accept every connection: the backlog holds them meanwhile.
  std::vector<Fd> clients;
  std::vector<Fd> servers;
  for (int i = 0; i < o.connections; ++i) {
    Fd c(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (c.get() < 0) return Status::FromErrno(errno, "socket");
    if (::connect(c.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      return Status::FromErrno(errno, fmt::format("connect 127.0.0.1:{}", ntohs(addr.sin_port)));
    }
    NoDelay(c.get());
    Fd s(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (s.get() < 0) return Status::FromErrno(errno, "accept");
    NoDelay(s.get());
    clients.push_back(std::move(c));
    servers.push_back(std::move(s));
  }

  std::vector<std::thread> threads;
  std::vector<ClientResult> results(static_cast<size_t>(o.connections));
  StartGate gate;
  for (int i = 0; i < o.connections; ++i) {
    const size_t k = static_cast<size_t>(i);
    threads.emplace_back(Answer, servers[k].get(), o.request_bytes, o.reply_bytes);
    threads.emplace_back(Ask, clients[k].get(), std::cref(o), &gate, &results[k]);
  }
  const Clock::time_point start = Clock::now();
  gate.Open(start +
            std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds)));
  for (std::thread& t : threads) t.join();

  LatencyRecorder all;
  Clock::time_point last = start;
  for (const ClientResult& r : results) {
    if (!r.status.ok()) return r.status;
    all.Merge(r.latency);
    last = std::max(last, r.finished);
  }
  LoopbackPingPongStats stats;
  stats.connections = o.connections;
  stats.round_trips = all.count();
  stats.seconds = std::chrono::duration<double>(last - start).count();
  stats.round_trips_per_sec =
      stats.seconds > 0 ? static_cast<double>(stats.round_trips) / stats.seconds : 0;
  stats.latency = all.Summarize();
  return stats;
}

}  // namespace holdfast::tools
