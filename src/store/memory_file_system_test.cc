#include "store/memory_file_system.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "store/consume_queue.h"
#include "store/store_checkpoint.h"

namespace holdfast::store {
namespace {

std::unique_ptr<File> OpenOrDie(FileSystem& fs, const std::string& path, bool create = true) {
  auto file = fs.Open(path, create);
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  return file.ok() ? std::move(file).value() : nullptr;
}

std::string ReadAll(FileSystem& fs, const std::string& path) {
  auto data = ReadWholeFile(&fs, path);
  EXPECT_TRUE(data.ok()) << data.status().ToString();
  return data.ok() ? *data : std::string();
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(MemoryFileSystemTest, FilesReadBackWhatWasWrittenWithZerosInTheGaps) {
  MemoryFileSystem fs;
  ASSERT_TRUE(fs.CreateDirs("/d").ok());
  auto file = OpenOrDie(fs, "/d/f");
  ASSERT_TRUE(file->Write(4, "abc").ok());
  EXPECT_EQ(ReadAll(fs, "/d/f"), std::string("\0\0\0\0abc", 7));
  char buf[16];
  auto n = file->Read(5, sizeof buf, buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(buf, *n), "bc") << "a read stops at the end of the file";
  n = file->Read(100, sizeof buf, buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0u);
}

TEST(MemoryFileSystemTest, BytesCutAwayReadAsZerosWhenTheFileGrowsAgain) {
  MemoryFileSystem fs;
  auto file = OpenOrDie(fs, "f");
  ASSERT_TRUE(file->Write(0, "abcdef").ok());
  ASSERT_TRUE(file->Truncate(2).ok());
  EXPECT_EQ(*file->Size(), 2);
  ASSERT_TRUE(file->Allocate(6).ok());
  EXPECT_EQ(ReadAll(fs, "f"), std::string("ab\0\0\0\0", 6));
  ASSERT_TRUE(file->Allocate(3).ok());
  EXPECT_EQ(*file->Size(), 6) << "Allocate never shrinks";
}

TEST(MemoryFileSystemTest, AMappingSharesBytesWithTheFileAndOutlivesItsName) {
  MemoryFileSystem fs;
  auto file = OpenOrDie(fs, "f");
  ASSERT_TRUE(file->Allocate(8).ok());
  auto region = file->Map(8);
  ASSERT_TRUE(region.ok()) << region.status().ToString();
  std::memcpy((*region)->data() + 2, "xy", 2);
  EXPECT_EQ(ReadAll(fs, "f"), std::string("\0\0xy\0\0\0\0", 8));
  ASSERT_TRUE(file->Write(0, "z").ok());
  EXPECT_EQ((*region)->data()[0], 'z');
  auto past_end = file->Map(12);
  ASSERT_TRUE(past_end.ok()) << "a region may reach past the end, which the file grows into";
  ASSERT_TRUE(file->Allocate(8, 4).ok());
  std::memcpy((*past_end)->data() + 9, "w", 1);
  EXPECT_EQ(ReadAll(fs, "f"), std::string("z\0xy\0\0\0\0\0w\0\0", 12));

  ASSERT_TRUE(fs.Remove("f").ok());
  EXPECT_FALSE(fs.Exists("f"));
  EXPECT_EQ((*region)->data()[3], 'y') << "the region keeps the bytes of a removed file";
}

TEST(MemoryFileSystemTest, AFileCannotGrowPastTheLimit) {
  MemoryFileSystem fs(/*max_file_size=*/16);
  auto file = OpenOrDie(fs, "f");
  EXPECT_TRUE(file->Map(17).status().IsNoSpace()) << "nor be mapped past it";
  EXPECT_TRUE(file->Write(10, "123456").ok());
  EXPECT_TRUE(file->Write(11, "123456").IsNoSpace());
  EXPECT_TRUE(file->Allocate(17).IsNoSpace());
  EXPECT_TRUE(file->Truncate(17).IsNoSpace());
  EXPECT_EQ(*file->Size(), 16);
}

TEST(MemoryFileSystemTest, DirectoriesListTheirChildrenAndMustExistAndBeEmpty) {
  MemoryFileSystem fs;
  EXPECT_TRUE(fs.Open("/a/f", true).status().IsNotFound()) << "no directory /a yet";
  ASSERT_TRUE(fs.CreateDirs("/a/b/c").ok());
  ASSERT_TRUE(fs.CreateDirs("/a//b/").ok()) << "mkdir -p of an existing directory";
  OpenOrDie(fs, "/a/f");
  OpenOrDie(fs, "/a/b/g");
  EXPECT_EQ(Sorted(*fs.ListDir("/a")), (std::vector<std::string>{"b", "f"}));
  EXPECT_EQ(Sorted(*fs.ListDir("/a/b")), (std::vector<std::string>{"c", "g"}));
  EXPECT_TRUE(fs.ListDir("/nope").status().IsNotFound());
  EXPECT_TRUE(fs.Open("/a/nope", false).status().IsNotFound());

  EXPECT_FALSE(fs.Remove("/a/b").ok()) << "not empty";
  ASSERT_TRUE(fs.Remove("/a/b/g").ok());
  ASSERT_TRUE(fs.Remove("/a/b/c").ok());
  ASSERT_TRUE(fs.Remove("/a/b").ok());
  EXPECT_FALSE(fs.Exists("/a/b"));
  EXPECT_TRUE(fs.Remove("/a/b").IsNotFound());
}

TEST(MemoryFileSystemTest, RenameReplacesTheTarget) {
  MemoryFileSystem fs;
  ASSERT_TRUE(WriteFileAtomically(&fs, "old", "first").ok());
  ASSERT_TRUE(WriteFileAtomically(&fs, "old", "second").ok());
  EXPECT_EQ(ReadAll(fs, "old"), "second");
  EXPECT_FALSE(fs.Exists("old.tmp"));
  EXPECT_TRUE(fs.Rename("missing", "x").IsNotFound());
  EXPECT_TRUE(fs.Rename("old", "/no/dir/x").IsNotFound());
}

// The store's own files work on it, which is what the fuzz targets rely on.
TEST(MemoryFileSystemTest, TheStoreReadsBackItsFilesFromIt) {
  MemoryFileSystem fs;
  ASSERT_TRUE(fs.CreateDirs("/store").ok());
  {
    ConsumeQueue cq(&fs, "/store", "T", 3, 10 * kConsumeQueueUnitSize);
    ASSERT_TRUE(cq.Load().ok());
    for (int64_t i = 0; i < 15; ++i) {
      ASSERT_TRUE(cq.PutEntry(i, {100 * (i + 1), 100, i}).ok());
    }
    ASSERT_TRUE(cq.Flush().ok());
    auto cp = StoreCheckpoint::Open(&fs, "/store/checkpoint");
    ASSERT_TRUE(cp.ok()) << cp.status().ToString();
    (*cp)->physic_flushed_offset = 1234;
    ASSERT_TRUE((*cp)->Flush().ok());
  }
  ConsumeQueue cq(&fs, "/store", "T", 3, 10 * kConsumeQueueUnitSize);
  ASSERT_TRUE(cq.Load().ok());
  EXPECT_EQ(cq.MaxOffset(), 15);
  auto entries = cq.GetEntries(12, 10);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].commit_log_offset, 1300);
  auto cp = StoreCheckpoint::Open(&fs, "/store/checkpoint");
  ASSERT_TRUE(cp.ok());
  EXPECT_TRUE((*cp)->valid());
  EXPECT_EQ((*cp)->physic_flushed_offset, 1234);
}

}  // namespace
}  // namespace holdfast::store
