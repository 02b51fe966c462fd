#include "store/index_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <climits>
#include <random>
#include <string>
#include <vector>

#include "common/byte_order.h"
#include "common/java_hash.h"
#include "store/reservation_step.h"
#include "tests/support/fault_file_system.h"
#include "tests/support/temp_dir.h"

namespace holdfast::store {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kT0 = 1'700'000'000'000;  // a store timestamp, milliseconds
constexpr int64_t kForever = INT64_MAX;

class IndexFileTest : public ::testing::Test {
 protected:
  std::unique_ptr<IndexFile> CreateFile(int32_t slots, int32_t entries) {
    auto file = IndexFile::Create(fs_, path_, slots, entries, 0, 0);
    EXPECT_TRUE(file.ok()) << file.status().ToString();
    return std::move(file).value();
  }

  std::vector<int64_t> Select(const IndexFile& file, std::string_view key, size_t max_num = 100,
                              int64_t begin = 0, int64_t end = kForever) {
    std::vector<int64_t> out;
    file.SelectPhyOffsets(&out, key, max_num, begin, end);
    return out;
  }

  std::string ReadRaw() {
    auto data = ReadWholeFile(fs_, path_);
    EXPECT_TRUE(data.ok()) << data.status().ToString();
    return data.ok() ? *data : std::string();
  }

  void WriteRaw(int64_t offset, std::string_view bytes) {
    auto file = fs_->Open(path_, false);
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    ASSERT_TRUE((*file)->Write(offset, bytes).ok());
  }

  testing::TempDir dir_;
  FileSystem* fs_ = FileSystem::Default();
  std::string path_ = dir_.Sub("20240101000000000");
};

TEST_F(IndexFileTest, KeyHashIsAbsoluteJavaHashWithMinValueAsZero) {
  EXPECT_EQ(JavaStringHashCode("polygenelubricants"), INT32_MIN);
  EXPECT_EQ(IndexFile::KeyHash("polygenelubricants"), 0);
  EXPECT_EQ(IndexFile::KeyHash("hello"), 99162322);
  const int32_t h = JavaStringHashCode("TopicTest#key-negative?");
  EXPECT_EQ(IndexFile::KeyHash("TopicTest#key-negative?"), h < 0 ? -h : h);
  for (int i = 0; i < 100; ++i) EXPECT_GE(IndexFile::KeyHash("k" + std::to_string(i)), 0);
}

TEST_F(IndexFileTest, PutThenSelectReturnsOffsetsNewestFirst) {
  auto file = CreateFile(16, 32);
  ASSERT_TRUE(file->PutKey("T#a", 100, kT0).ok());
  ASSERT_TRUE(file->PutKey("T#b", 200, kT0 + 1000).ok());
  ASSERT_TRUE(file->PutKey("T#a", 300, kT0 + 2000).ok());

  EXPECT_THAT(Select(*file, "T#a"), ElementsAre(300, 100));
  EXPECT_THAT(Select(*file, "T#b"), ElementsAre(200));
  EXPECT_THAT(Select(*file, "T#c"), IsEmpty());
  EXPECT_THAT(Select(*file, "T#a", 1), ElementsAre(300));

  EXPECT_EQ(file->index_count(), 4);
  EXPECT_EQ(file->begin_phy_offset(), 100);
  EXPECT_EQ(file->end_phy_offset(), 300);
  EXPECT_EQ(file->begin_timestamp(), kT0);
  EXPECT_EQ(file->end_timestamp(), kT0 + 2000);
}

TEST_F(IndexFileTest, BytesOnDiskFollowRocketMqLayout) {
  constexpr int32_t kSlots = 8;
  auto file = CreateFile(kSlots, 4);
  ASSERT_TRUE(file->PutKey("T#a", 100, kT0).ok());
  ASSERT_TRUE(file->PutKey("T#a", 200, kT0 + 5500).ok());
  ASSERT_TRUE(file->Flush().ok());

  const std::string raw = ReadRaw();
  ASSERT_EQ(static_cast<int64_t>(raw.size()), IndexFile::FileSize(kSlots, 4));
  ASSERT_EQ(raw.size(), 40u + kSlots * 4 + 4 * 20);
  const char* p = raw.data();
  EXPECT_EQ(GetInt64(p + 0), kT0);
  EXPECT_EQ(GetInt64(p + 8), kT0 + 5500);
  EXPECT_EQ(GetInt64(p + 16), 100);
  EXPECT_EQ(GetInt64(p + 24), 200);
  EXPECT_EQ(GetInt32(p + 32), 1);  // one slot in use
  EXPECT_EQ(GetInt32(p + 36), 3);  // entries 1 and 2, plus the unused entry 0

  const int32_t hash = IndexFile::KeyHash("T#a");
  EXPECT_EQ(GetInt32(p + 40 + (hash % kSlots) * 4), 2);
  const char* entry1 = p + 40 + kSlots * 4 + 1 * 20;
  EXPECT_EQ(GetInt32(entry1), hash);
  EXPECT_EQ(GetInt64(entry1 + 4), 100);
  EXPECT_EQ(GetInt32(entry1 + 12), 0);
  EXPECT_EQ(GetInt32(entry1 + 16), 0);
  const char* entry2 = entry1 + 20;
  EXPECT_EQ(GetInt32(entry2), hash);
  EXPECT_EQ(GetInt64(entry2 + 4), 200);
  EXPECT_EQ(GetInt32(entry2 + 12), 5);  // whole seconds since beginTimestamp
  EXPECT_EQ(GetInt32(entry2 + 16), 1);
}

TEST_F(IndexFileTest, KeysSharingASlotAreToldApartByHash) {
  constexpr int32_t kSlots = 4;
  // Many keys with distinct hashes that crowd into four slots.
  std::vector<std::string> keys;
  std::vector<int32_t> hashes;
  for (int i = 0; keys.size() < 12; ++i) {
    std::string key = "T#key" + std::to_string(i);
    int32_t hash = IndexFile::KeyHash(key);
    if (std::find(hashes.begin(), hashes.end(), hash) != hashes.end()) continue;
    keys.push_back(key);
    hashes.push_back(hash);
  }
  auto file = CreateFile(kSlots, 64);
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_TRUE(file->PutKey(keys[i], 1000 + static_cast<int64_t>(i), kT0).ok());
    ASSERT_TRUE(file->PutKey(keys[i], 2000 + static_cast<int64_t>(i), kT0).ok());
  }
  EXPECT_LE(file->hash_slot_count(), kSlots);
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto n = static_cast<int64_t>(i);
    EXPECT_THAT(Select(*file, keys[i]), ElementsAre(2000 + n, 1000 + n)) << keys[i];
  }
}

TEST_F(IndexFileTest, SelectFiltersByTimeToTheSecond) {
  auto file = CreateFile(16, 32);
  ASSERT_TRUE(file->PutKey("T#a", 100, kT0).ok());
  ASSERT_TRUE(file->PutKey("T#a", 200, kT0 + 10'000).ok());
  ASSERT_TRUE(file->PutKey("T#a", 300, kT0 + 20'000).ok());

  EXPECT_THAT(Select(*file, "T#a", 100, kT0 + 5'000, kT0 + 15'000), ElementsAre(200));
  EXPECT_THAT(Select(*file, "T#a", 100, kT0 + 10'000, kT0 + 10'000), ElementsAre(200));
  EXPECT_THAT(Select(*file, "T#a", 100, kT0 + 10'000, kForever), ElementsAre(300, 200));
  EXPECT_THAT(Select(*file, "T#a", 100, 0, kT0), ElementsAre(100));
  EXPECT_THAT(Select(*file, "T#a", 100, kT0 + 21'000, kForever), IsEmpty());

  EXPECT_TRUE(file->IsTimeMatched(kT0 + 5'000, kT0 + 6'000));
  EXPECT_TRUE(file->IsTimeMatched(0, kForever));
  EXPECT_FALSE(file->IsTimeMatched(0, kT0 - 1));
  EXPECT_FALSE(file->IsTimeMatched(kT0 + 21'000, kForever));
}

TEST_F(IndexFileTest, SelectDoesNotRepeatOffsetsAlreadyCollected) {
  auto file = CreateFile(16, 32);
  ASSERT_TRUE(file->PutKey("T#a", 100, kT0).ok());
  ASSERT_TRUE(file->PutKey("T#a", 200, kT0).ok());
  ASSERT_TRUE(file->PutKey("T#a", 200, kT0).ok());  // indexed twice, as after a re-dispatch
  std::vector<int64_t> out = {100};
  file->SelectPhyOffsets(&out, "T#a", 100, 0, kForever);
  EXPECT_THAT(out, ElementsAre(100, 200));
}

TEST_F(IndexFileTest, FullFileRefusesKeys) {
  auto file = CreateFile(4, 3);  // room for two keys
  EXPECT_FALSE(file->IsFull());
  ASSERT_TRUE(file->PutKey("T#a", 100, kT0).ok());
  ASSERT_TRUE(file->PutKey("T#b", 200, kT0).ok());
  EXPECT_TRUE(file->IsFull());
  Status s = file->PutKey("T#c", 300, kT0);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(Select(*file, "T#b"), ElementsAre(200));
}

TEST_F(IndexFileTest, CreateRefusesAnExistingPathAndBadGeometry) {
  auto file = CreateFile(4, 3);
  auto again = IndexFile::Create(fs_, path_, 4, 3, 0, 0);
  EXPECT_EQ(again.status().code(), Status::Code::kAlreadyExists);
  auto bad = IndexFile::Create(fs_, dir_.Sub("other"), 4, 1, 0, 0);
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidArgument);
}

TEST_F(IndexFileTest, ReopenedFileFindsEverything) {
  {
    auto file = CreateFile(8, 16);
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(file->PutKey("T#k" + std::to_string(i % 3), 100 * i, kT0 + 1000 * i).ok());
    }
    ASSERT_TRUE(file->Flush().ok());
  }
  auto file = IndexFile::Open(fs_, path_, 8, 16);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ((*file)->index_count(), 11);
  EXPECT_EQ((*file)->begin_timestamp(), kT0);
  EXPECT_EQ((*file)->end_timestamp(), kT0 + 9000);
  EXPECT_EQ((*file)->end_phy_offset(), 900);
  EXPECT_THAT(Select(**file, "T#k0"), ElementsAre(900, 600, 300, 0));
  EXPECT_THAT(Select(**file, "T#k1"), ElementsAre(700, 400, 100));
  EXPECT_THAT(Select(**file, "T#k2"), ElementsAre(800, 500, 200));
  // And it takes more keys after reopening.
  ASSERT_TRUE((*file)->PutKey("T#k1", 1000, kT0 + 10'000).ok());
  EXPECT_THAT(Select(**file, "T#k1"), ElementsAre(1000, 700, 400, 100));
}

// A new file is sparse at its full length: the header and slots have their blocks, and entries
// get theirs as keys arrive, so a file of a few keys takes the slot table's disk, not the file's.
TEST_F(IndexFileTest, CreateReservesHeaderAndSlotsAndEntriesAsKeysArrive) {
  constexpr int32_t kSlots = 1024;
  constexpr int32_t kEntries = 100000;
  constexpr int64_t kSlotsEnd = IndexFile::kHeaderSize + kSlots * IndexFile::kHashSlotSize;
  auto file = CreateFile(kSlots, kEntries);
  EXPECT_FALSE(fs_->Exists(path_ + ".tmp"));
  struct stat st;
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_size, IndexFile::FileSize(kSlots, kEntries));
  EXPECT_GE(int64_t{st.st_blocks} * 512, kSlotsEnd);
  EXPECT_LE(int64_t{st.st_blocks} * 512, kSlotsEnd + kReservationStepMin);

  constexpr int kKeys = 1000;
  for (int i = 0; i < kKeys; ++i) {
    ASSERT_TRUE(file->PutKey("T#k" + std::to_string(i), 100 * i, kT0).ok());
  }
  ASSERT_TRUE(file->Flush().ok());
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  const int64_t entries_end = kSlotsEnd + (kKeys + 1) * IndexFile::kIndexSize;
  EXPECT_GE(int64_t{st.st_blocks} * 512, entries_end);
  EXPECT_LE(int64_t{st.st_blocks} * 512, entries_end + kReservationStepMax + kReservationStepMin)
      << "of a " << IndexFile::FileSize(kSlots, kEntries) << "-byte file";
  EXPECT_THAT(Select(*file, "T#k7"), ElementsAre(700));
}

// With the disk full, a key whose entry needs new blocks is refused with the reservation's error
// (not a SIGBUS from a store into an unbacked page), and nothing of it is stored.
TEST_F(IndexFileTest, PutKeyOnAFullDiskIsNoSpaceAndStoresNothing) {
  testing::FaultInjectionFileSystem faulty;
  auto created = IndexFile::Create(&faulty, path_, 8, 100000, 0, 0);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  IndexFile& file = **created;
  ASSERT_TRUE(file.PutKey("T#full", 0, kT0).ok());
  faulty.FailAllocations(Status::NoSpace("injected: disk full"));
  Status s;
  int stored = 1;
  while (stored < 100000) {
    s = file.PutKey("T#full", 100 * stored, kT0);
    if (!s.ok()) break;
    ++stored;
  }
  ASSERT_TRUE(s.IsNoSpace()) << s.ToString();
  EXPECT_GT(stored, 1) << "keys within the blocks reserved so far are taken";
  EXPECT_EQ(file.index_count(), 1 + stored);
  EXPECT_EQ(Select(file, "T#full", 1).front(), 100 * (stored - 1));

  faulty.ClearFaults();
  ASSERT_TRUE(file.PutKey("T#full", 1, kT0).ok());
  EXPECT_EQ(Select(file, "T#full", 1).front(), 1);
}

TEST_F(IndexFileTest, CreateOnAFullDiskIsNoSpaceAndLeavesNothing) {
  testing::FaultInjectionFileSystem faulty;
  faulty.FailAllocations(Status::NoSpace("injected: disk full"));
  auto file = IndexFile::Create(&faulty, path_, 8, 16, 0, 0);
  EXPECT_TRUE(file.status().IsNoSpace()) << file.status().ToString();
  EXPECT_FALSE(fs_->Exists(path_));
  EXPECT_FALSE(fs_->Exists(path_ + ".tmp"));
}

TEST_F(IndexFileTest, KeysReachTheFileBeforeFlush) {
  // PutKey stores through the mapping: a process that dies before Flush leaves every key, and a
  // header counting it, in the page cache.
  {
    auto file = CreateFile(8, 16);
    ASSERT_TRUE(file->PutKey("T#a", 100, kT0).ok());
    ASSERT_TRUE(file->PutKey("T#a", 200, kT0 + 1000).ok());
  }
  auto file = IndexFile::Open(fs_, path_, 8, 16);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ((*file)->index_count(), 3);
  EXPECT_EQ((*file)->end_phy_offset(), 200);
  EXPECT_THAT(Select(**file, "T#a"), ElementsAre(200, 100));
}

TEST_F(IndexFileTest, OpensASparseFileAndTakesKeys) {
  // As a Java broker (or an older Holdfast) leaves it: extended with setLength, header written.
  constexpr int32_t kSlots = 64;
  constexpr int32_t kEntries = 1024;
  {
    auto raw = fs_->Open(path_, /*create=*/true);
    ASSERT_TRUE(raw.ok()) << raw.status().ToString();
    ASSERT_TRUE((*raw)->Truncate(IndexFile::FileSize(kSlots, kEntries)).ok());
    std::string header(40, '\0');
    PutBigEndian32(header.data() + 36, 1);
    ASSERT_TRUE((*raw)->Write(0, header).ok());
  }
  auto file = IndexFile::Open(fs_, path_, kSlots, kEntries);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  struct stat st;
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_GE(int64_t{st.st_blocks} * 512, IndexFile::kHeaderSize + kSlots * 4)
      << "the header and slots get their blocks";
  ASSERT_TRUE((*file)->PutKey("T#a", 100, kT0).ok());
  ASSERT_TRUE((*file)->Flush().ok());
  EXPECT_THAT(Select(**file, "T#a"), ElementsAre(100));
}

TEST_F(IndexFileTest, TruncatedFileIsCorruptionNamingIt) {
  CreateFile(8, 16);
  {
    auto raw = fs_->Open(path_, false);
    ASSERT_TRUE(raw.ok());
    ASSERT_TRUE((*raw)->Truncate(30).ok());
  }
  auto file = IndexFile::Open(fs_, path_, 8, 16);
  ASSERT_FALSE(file.ok());
  EXPECT_TRUE(file.status().IsCorruption()) << file.status().ToString();
  EXPECT_NE(file.status().message().find(path_), std::string::npos) << file.status().ToString();
}

TEST_F(IndexFileTest, GarbageHeaderIsCorruptionNamingIt) {
  CreateFile(8, 16);
  WriteRaw(0, std::string(40, '\xff'));  // index count -1
  auto file = IndexFile::Open(fs_, path_, 8, 16);
  ASSERT_FALSE(file.ok());
  EXPECT_TRUE(file.status().IsCorruption()) << file.status().ToString();
  EXPECT_NE(file.status().message().find(path_), std::string::npos) << file.status().ToString();

  std::string header(40, '\0');
  PutBigEndian32(header.data() + 36, 17);  // more entries than the file holds
  WriteRaw(0, header);
  file = IndexFile::Open(fs_, path_, 8, 16);
  EXPECT_TRUE(file.status().IsCorruption()) << file.status().ToString();
}

TEST_F(IndexFileTest, WrongGeometryIsCorruption) {
  CreateFile(8, 16);
  auto file = IndexFile::Open(fs_, path_, 16, 16);
  EXPECT_TRUE(file.status().IsCorruption()) << file.status().ToString();
}

TEST_F(IndexFileTest, GarbageSlotsAndEntriesDoNotBreakTheWalk) {
  constexpr int32_t kSlots = 8;
  constexpr int32_t kEntries = 256;
  {
    auto file = CreateFile(kSlots, kEntries);
    for (int i = 0; i < 200; ++i) {
      ASSERT_TRUE(file->PutKey("T#k" + std::to_string(i % 20), i, kT0 + i * 100).ok());
    }
    ASSERT_TRUE(file->Flush().ok());
  }
  std::mt19937 rng(42);
  std::string noise(kSlots * 4 + kEntries * 20, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  WriteRaw(40, noise);

  auto file = IndexFile::Open(fs_, path_, kSlots, kEntries);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  for (int i = 0; i < 20; ++i) {
    auto out = Select(**file, "T#k" + std::to_string(i), 1000);
    EXPECT_LE(out.size(), 200u);
  }
  // Chains that loop back on themselves end too.
  for (int32_t slot = 0; slot < kSlots; ++slot) {
    std::string value(4, '\0');
    PutBigEndian32(value.data(), 5);
    WriteRaw(40 + slot * 4, value);
  }
  std::string entry(20, '\0');
  PutBigEndian32(entry.data() + 16, 5);  // prevIndex points at itself
  WriteRaw(40 + kSlots * 4 + 5 * 20, entry);
  EXPECT_LE(Select(**file, "T#k1", 1000).size(), 1u);
  // And the file still takes keys over the garbage.
  ASSERT_TRUE((*file)->PutKey("T#fresh", 12345, kT0 + 30'000).ok());
  EXPECT_THAT(Select(**file, "T#fresh", 1000, kT0 + 30'000, kForever), ElementsAre(12345));
}

}  // namespace
}  // namespace holdfast::store
