#include "common/loopback_port.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace holdfast {
namespace {

TEST(LoopbackPortTest, FreePortCanBeBoundAndAcceptsOnlyWhileListenedOn) {
  auto port = FreeLoopbackPort();
  ASSERT_TRUE(port.ok()) << port.status().ToString();
  ASSERT_GT(*port, 0);
  EXPECT_FALSE(AcceptsOnLoopback(*port));

  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  const sockaddr_in addr = LoopbackAddress(*port);
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0)
      << std::strerror(errno);
  ASSERT_EQ(::listen(fd, 1), 0) << std::strerror(errno);
  EXPECT_TRUE(AcceptsOnLoopback(*port));
  ::close(fd);
}

}  // namespace
}  // namespace holdfast
