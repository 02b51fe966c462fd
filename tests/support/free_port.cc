#include "tests/support/free_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace holdfast::testing {

int FreeTcpPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    std::fprintf(stderr, "FreeTcpPort: socket: %s\n", std::strerror(errno));
    std::abort();
  }
  struct sockaddr_in addr;
  std::memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<struct sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<struct sockaddr*>(&addr), &len) != 0) {
    std::fprintf(stderr, "FreeTcpPort: bind 127.0.0.1:0: %s\n", std::strerror(errno));
    std::abort();
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace holdfast::testing
