#include "client/local_file_offset_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace holdfast::client {
namespace {

const MessageQueue kQ0{"T", "broker-a", 0};
const MessageQueue kQ1{"T", "broker-b", 3};

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

TEST(LocalFileOffsetStoreTest, FirstRunLoadsNothing) {
  testing::TempDir dir;
  LocalFileOffsetStore store(dir.path(), "127.0.0.1@a", "G");
  ASSERT_TRUE(store.Load().ok());
  EXPECT_EQ(*store.ReadOffset(kQ0, ReadOffsetType::kMemoryFirstThenStore), -1);
}

TEST(LocalFileOffsetStoreTest, PersistedOffsetsSurviveARestart) {
  testing::TempDir dir;
  {
    LocalFileOffsetStore store(dir.path(), "127.0.0.1@a", "G");
    store.UpdateOffset(kQ0, 12, true);
    store.UpdateOffset(kQ1, 40, true);
    store.PersistAll({kQ0, kQ1});
    EXPECT_EQ(store.path(), dir.path() + "/127.0.0.1@a/G/offsets.json");
  }
  LocalFileOffsetStore again(dir.path(), "127.0.0.1@a", "G");
  ASSERT_TRUE(again.Load().ok());
  EXPECT_EQ(*again.ReadOffset(kQ0, ReadOffsetType::kReadFromMemory), 12);
  EXPECT_EQ(*again.ReadOffset(kQ1, ReadOffsetType::kReadFromMemory), 40);
}

TEST(LocalFileOffsetStoreTest, SecondWriteKeepsThePreviousAsBak) {
  testing::TempDir dir;
  LocalFileOffsetStore store(dir.path(), "c", "G");
  store.UpdateOffset(kQ0, 1, true);
  store.PersistAll({kQ0});
  store.UpdateOffset(kQ0, 2, true);
  store.PersistAll({kQ0});
  auto bak = LocalFileOffsetStore::ReadFile(store.path() + ".bak");
  ASSERT_TRUE(bak.ok());
  EXPECT_EQ(bak->at(kQ0), 1);
  EXPECT_EQ(LocalFileOffsetStore::ReadFile(store.path())->at(kQ0), 2);
  EXPECT_FALSE(std::filesystem::exists(store.path() + ".tmp"));
}

TEST(LocalFileOffsetStoreTest, CorruptFileFallsBackToBak) {
  testing::TempDir dir;
  LocalFileOffsetStore store(dir.path(), "c", "G");
  store.UpdateOffset(kQ0, 7, true);
  store.PersistAll({kQ0});
  store.PersistAll({kQ0});  // .bak now holds 7 too
  WriteText(store.path(), "{\"offsetTable\": [tor");
  LocalFileOffsetStore again(dir.path(), "c", "G");
  ASSERT_TRUE(again.Load().ok());
  EXPECT_EQ(*again.ReadOffset(kQ0, ReadOffsetType::kReadFromMemory), 7);
}

TEST(LocalFileOffsetStoreTest, BothFilesCorruptIsAnErrorNamingTheFile) {
  testing::TempDir dir;
  LocalFileOffsetStore store(dir.path(), "c", "G");
  std::filesystem::create_directories(dir.path() + "/c/G");
  WriteText(store.path(), "nonsense");
  WriteText(store.path() + ".bak", "{\"offsetTable\":[{\"topic\":\"T\"}]}");
  Status s = store.Load();
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("offsets.json"), std::string::npos);
  EXPECT_NE(s.message().find("entry 0"), std::string::npos);
}

TEST(LocalFileOffsetStoreTest, ReadFromStoreReadsTheFile) {
  testing::TempDir dir;
  LocalFileOffsetStore writer(dir.path(), "c", "G");
  writer.UpdateOffset(kQ1, 99, true);
  writer.PersistAll({kQ1});
  LocalFileOffsetStore reader(dir.path(), "c", "G");
  EXPECT_EQ(*reader.ReadOffset(kQ1, ReadOffsetType::kReadFromStore), 99);
  EXPECT_EQ(*reader.ReadOffset(kQ0, ReadOffsetType::kReadFromStore), -1);
}

TEST(LocalFileOffsetStoreTest, UnwritableDirectoryIsReportedNotFatal) {
  testing::TempDir dir;
  WriteText(dir.Sub("file"), "x");  // a file where a directory is needed
  auto s = LocalFileOffsetStore::WriteFile(dir.Sub("file") + "/c/G/offsets.json", {{kQ0, 1}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("file"), std::string::npos);
}

}  // namespace
}  // namespace holdfast::client
