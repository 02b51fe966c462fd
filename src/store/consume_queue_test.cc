// Tests of one consume queue's recovery against entries that cannot describe a message (a torn or
// damaged file), on the in-memory file system.
#include "store/consume_queue.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "store/memory_file_system.h"

namespace holdfast::store {
namespace {

constexpr int64_t kFileSize = 8 * kConsumeQueueUnitSize;

// Three good entries (messages of 100 bytes at 0, 100, 200), then `last`.
void FillQueue(ConsumeQueue& cq, const ConsumeQueue::Entry& last) {
  ASSERT_TRUE(cq.Load().ok());
  for (int64_t i = 0; i < 3; ++i) ASSERT_TRUE(cq.PutEntry(i, {100 * i, 100, 0}).ok());
  ASSERT_TRUE(cq.PutEntry(3, last).ok());
  ASSERT_EQ(cq.MaxOffset(), 4);
}

// Found by consume_queue_fuzzer: the end of an entry near INT64_MAX overflowed (undefined
// behaviour; in practice it wrapped negative and the entry was kept).
TEST(ConsumeQueueTest, TruncateDirtyDropsAnEntryWhoseEndDoesNotFitInAnOffset) {
  MemoryFileSystem fs;
  ConsumeQueue cq(&fs, "/store", "T", 0, kFileSize);
  FillQueue(cq, {std::numeric_limits<int64_t>::max() - 10, 100, 0});
  ASSERT_TRUE(cq.TruncateDirty(300).ok());
  EXPECT_EQ(cq.MaxOffset(), 3);
}

TEST(ConsumeQueueTest, TruncateDirtyDropsEntriesWithANegativeOffsetOrSize) {
  MemoryFileSystem fs;
  ConsumeQueue negative_size(&fs, "/store", "T", 0, kFileSize);
  FillQueue(negative_size, {300, -50, 0});
  ASSERT_TRUE(negative_size.TruncateDirty(1000).ok());
  EXPECT_EQ(negative_size.MaxOffset(), 3);

  ConsumeQueue negative_offset(&fs, "/store", "T", 1, kFileSize);
  FillQueue(negative_offset, {-100, 100, 0});
  ASSERT_TRUE(negative_offset.TruncateDirty(1000).ok());
  EXPECT_EQ(negative_offset.MaxOffset(), 3);
}

TEST(ConsumeQueueTest, TruncateDirtyKeepsEntriesThatEndAtTheRecoveredEnd) {
  MemoryFileSystem fs;
  ConsumeQueue cq(&fs, "/store", "T", 0, kFileSize);
  FillQueue(cq, {300, 100, 0});
  ASSERT_TRUE(cq.TruncateDirty(400).ok());
  EXPECT_EQ(cq.MaxOffset(), 4);
  ASSERT_TRUE(cq.TruncateDirty(399).ok());
  EXPECT_EQ(cq.MaxOffset(), 3);
}

// A damaged entry is an error for whoever reads it, never a message at a made-up place; the good
// entries before it are still served.
TEST(ConsumeQueueTest, GetEntriesStopsBeforeADamagedEntryAndRefusesIt) {
  MemoryFileSystem fs;
  ConsumeQueue cq(&fs, "/store", "T", 0, kFileSize);
  FillQueue(cq, {300, -50, 0});
  ASSERT_TRUE(cq.PutEntry(4, {400, 100, 0}).ok());

  auto batch = cq.GetEntries(1, 10);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ(batch->size(), 2u) << "entries 1 and 2, not the damaged entry 3";
  auto damaged = cq.GetEntries(3, 10);
  ASSERT_FALSE(damaged.ok());
  EXPECT_TRUE(damaged.status().IsCorruption()) << damaged.status().ToString();
  EXPECT_NE(damaged.status().message().find("entry 3 in /store/consumequeue/T/0/"),
            std::string::npos)
      << damaged.status().ToString();
  auto after = cq.GetEntries(4, 10);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].commit_log_offset, 400);
}

// Found by consume_queue_fuzzer: when the last file began with a hole, Load ended the queue at
// that file's start, so the holes at the end of the file before counted as entries (and a second
// Load, after the first had cut the last file away, ended the queue elsewhere).
TEST(ConsumeQueueTest, LoadEndsAtTheFirstHoleBeforeALastFileThatBeginsWithOne) {
  constexpr int64_t kTwoEntries = 2 * kConsumeQueueUnitSize;
  MemoryFileSystem fs;
  {
    ConsumeQueue writer(&fs, "/store", "T", 0, kTwoEntries);
    ASSERT_TRUE(writer.Load().ok());
    ASSERT_TRUE(writer.PutEntry(0, {0, 100, 0}).ok());
    // Entries 1 and 2 never reached the disk; entry 3 did (a power cut writes pages back in
    // any order).
    ASSERT_TRUE(writer.PutEntry(3, {300, 100, 0}).ok());
  }
  ConsumeQueue cq(&fs, "/store", "T", 0, kTwoEntries);
  ASSERT_TRUE(cq.Load().ok());
  EXPECT_EQ(cq.MaxOffset(), 1);
  auto entries = cq.GetEntries(0, 10);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  EXPECT_EQ(entries->size(), 1u);

  ConsumeQueue again(&fs, "/store", "T", 0, kTwoEntries);
  ASSERT_TRUE(again.Load().ok());
  EXPECT_EQ(again.MaxOffset(), 1);
  ASSERT_TRUE(again.PutEntry(1, {100, 100, 0}).ok()) << "the queue goes on from its end";
  EXPECT_EQ(again.MaxOffset(), 2);
}

}  // namespace
}  // namespace holdfast::store
