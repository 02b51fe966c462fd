#include "common/disk_usage.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "tests/support/temp_dir.h"

namespace holdfast {
namespace {

// Writes `data` at `offset` of a new file of `length` bytes (sparse elsewhere).
void MakeFile(const std::string& path, int64_t length, int64_t offset, const std::string& data) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, length), 0);
  ASSERT_EQ(::pwrite(fd, data.data(), data.size(), offset), static_cast<ssize_t>(data.size()));
  ASSERT_EQ(::fsync(fd), 0);
  ::close(fd);
}

TEST(DiskUsageTest, CountsAllocatedBlocksNotLengths) {
  testing::TempDir dir;
  const std::string file = dir.Sub("sparse");
  MakeFile(file, 64 << 20, 32 << 20, std::string(4096, 'x'));
  auto used = DiskUsage(file);
  ASSERT_TRUE(used.ok()) << used.status().ToString();
  EXPECT_GE(*used, 4096) << "the written page";
  EXPECT_LT(*used, 1 << 20) << "a 64 MiB file with one page written";
}

TEST(DiskUsageTest, SumsADirectoryTreeWithItsDirectories) {
  testing::TempDir dir;
  ASSERT_EQ(::mkdir(dir.Sub("a").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir(dir.Sub("a/b").c_str(), 0755), 0);
  MakeFile(dir.Sub("a/one"), 8192, 0, std::string(8192, 'x'));
  MakeFile(dir.Sub("a/b/two"), 8192, 0, std::string(8192, 'y'));
  auto one = DiskUsage(dir.Sub("a/one"));
  auto two = DiskUsage(dir.Sub("a/b/two"));
  auto inner = DiskUsage(dir.Sub("a/b"));
  auto tree = DiskUsage(dir.Sub("a"));
  ASSERT_TRUE(one.ok() && two.ok() && inner.ok() && tree.ok());
  EXPECT_GE(*one, 8192);
  EXPECT_GE(*inner, *two) << "a directory counts what it holds";
  EXPECT_GE(*tree, *one + *inner);
}

TEST(DiskUsageTest, MissingPathIsNotFound) {
  testing::TempDir dir;
  EXPECT_TRUE(DiskUsage(dir.Sub("nothing")).status().IsNotFound());
}

}  // namespace
}  // namespace holdfast
