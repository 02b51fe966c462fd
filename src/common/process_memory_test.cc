#include "common/process_memory.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace holdfast {
namespace {

TEST(ProcessMemoryTest, ReadsRssAndItsPartsAndNamesAMissingProcess) {
  auto self = ReadProcessMemory(::getpid());
  ASSERT_TRUE(self.ok()) << self.status().ToString();
  EXPECT_GT(self->rss_anon_bytes, 0);
  EXPECT_GT(self->rss_file_bytes, 0);  // this program's code at least
  EXPECT_GE(self->rss_bytes, self->rss_anon_bytes);
  auto missing = ReadProcessMemory(-5);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound());
}

}  // namespace
}  // namespace holdfast
