#include "tests/support/raw_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace holdfast::testing {

RawPeer::RawPeer(uint16_t port) : RawPeer("127.0.0.1", port) {}

RawPeer::RawPeer(const std::string& ipv4, uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{5, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  connected_ = ::inet_pton(AF_INET, ipv4.c_str(), &sa.sin_addr) == 1 &&
               ::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0;
}

RawPeer::~RawPeer() { ::close(fd_); }

bool RawPeer::Write(std::string_view bytes) {
  return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
         static_cast<ssize_t>(bytes.size());
}

std::string RawPeer::ReadSome() {
  std::string buf(64 * 1024, '\0');
  ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
  buf.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return buf;
}

std::string RawPeer::ReadFrame() {
  std::string frame;
  if (!ReadExactly(4, frame)) return {};
  uint32_t length = (static_cast<uint32_t>(static_cast<uint8_t>(frame[0])) << 24) |
                    (static_cast<uint32_t>(static_cast<uint8_t>(frame[1])) << 16) |
                    (static_cast<uint32_t>(static_cast<uint8_t>(frame[2])) << 8) |
                    static_cast<uint32_t>(static_cast<uint8_t>(frame[3]));
  if (!ReadExactly(length, frame)) return {};
  return frame;
}

bool RawPeer::WaitClosedByServer() {
  char buf[4096];
  for (;;) {
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET;
  }
}

bool RawPeer::ReadExactly(size_t n, std::string& out) {
  size_t want = out.size() + n;
  while (out.size() < want) {
    char buf[4096];
    ssize_t got = ::recv(fd_, buf, std::min(sizeof(buf), want - out.size()), 0);
    if (got <= 0) return false;
    out.append(buf, static_cast<size_t>(got));
  }
  return true;
}

}  // namespace holdfast::testing
