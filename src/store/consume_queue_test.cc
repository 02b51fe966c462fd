// Tests of one consume queue: recovery against entries that cannot describe a message (a torn or
// damaged file, on the in-memory file system); how a queue finds its end (only the tail of a queue
// is read) and what it costs (a store of many nearly empty queues takes little disk and memory);
// and the ends a crash can leave (an empty entry in the middle, a queue that starts empty).
#include "store/consume_queue.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <limits>
#include <string>

#include "common/byte_order.h"
#include "common/disk_usage.h"
#include "common/process_memory.h"
#include "store/memory_file_system.h"
#include "store/message_store.h"
#include "store/reservation_step.h"
#include "tests/support/recording_file_system.h"
#include "tests/support/store_fixture.h"
#include "tests/support/temp_dir.h"

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

// Found by consume_queue_fuzzer: the holes of a file before a last one that begins with a hole
// were once counted as entries. The queue ends after its last entry on load; recovery's cut then
// stops at the first hole, wherever it is.
TEST(ConsumeQueueTest, TruncateDirtyCutsAtAHoleInTheFileBeforeALastFileThatBeginsWithOne) {
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
  EXPECT_EQ(cq.MaxOffset(), 4);
  auto entries = cq.GetEntries(0, 10);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  EXPECT_EQ(entries->size(), 1u) << "a read stops before the hole";
  EXPECT_FALSE(cq.GetEntries(1, 10).ok()) << "and a read at the hole is an error, not the end";
  // The commit log ends after message 0 (the one at 100 and later were lost with their entries).
  ASSERT_TRUE(cq.TruncateDirty(100).ok());
  EXPECT_EQ(cq.MaxOffset(), 1);

  ConsumeQueue again(&fs, "/store", "T", 0, kTwoEntries);
  ASSERT_TRUE(again.Load().ok());
  EXPECT_EQ(again.MaxOffset(), 1);
  ASSERT_TRUE(again.PutEntry(1, {100, 100, 0}).ok()) << "the queue goes on from its end";
  EXPECT_EQ(again.MaxOffset(), 2);
}

// A last file with no entry holds nothing of the queue: the end is sought in the file before.
TEST(ConsumeQueueTest, LoadDropsALastFileWithNoEntry) {
  constexpr int64_t kTwoEntries = 2 * kConsumeQueueUnitSize;
  MemoryFileSystem fs;
  {
    ConsumeQueue writer(&fs, "/store", "T", 0, kTwoEntries);
    ASSERT_TRUE(writer.Load().ok());
    ASSERT_TRUE(writer.PutEntry(0, {0, 100, 0}).ok());
    ASSERT_TRUE(writer.PutEntry(1, {100, 100, 0}).ok());
    ASSERT_TRUE(writer.PutEntry(2, {200, 100, 0}).ok());
  }
  // The pages of entries 1 and 2 were lost; their files stayed.
  const std::string empty(kConsumeQueueUnitSize, '\0');
  for (const auto& [name, at] : {std::pair<std::string, int64_t>{"00000000000000000000", 20},
                                 std::pair<std::string, int64_t>{"00000000000000000040", 0}}) {
    auto file = fs.Open("/store/consumequeue/T/0/" + name, /*create=*/false);
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    ASSERT_TRUE((*file)->Write(at, empty).ok());
  }
  ConsumeQueue cq(&fs, "/store", "T", 0, kTwoEntries);
  ASSERT_TRUE(cq.Load().ok());
  EXPECT_EQ(cq.MaxOffset(), 1) << "entry 1, empty at the end of the file before, is no entry";
  EXPECT_FALSE(fs.Exists("/store/consumequeue/T/0/00000000000000000040"));
}

using holdfast::testing::FileCall;
using holdfast::testing::MakeMessage;
using holdfast::testing::RecordingFileSystem;
using holdfast::testing::TempDir;

const int64_t kDefaultSegment = MessageStoreConfig{}.mapped_file_size_consume_queue;

// The entry for the message of queue offset i in these tests: 100-byte records in a row.
ConsumeQueue::Entry EntryFor(int64_t i) { return {100 * i, 100, 7}; }

int64_t Rss() {
  auto memory = ReadProcessMemory(::getpid());
  EXPECT_TRUE(memory.ok()) << memory.status().ToString();
  return memory.ok() ? memory->rss_bytes : 0;
}

int64_t DiskUsageOf(const std::string& path) {
  auto used = DiskUsage(path);
  EXPECT_TRUE(used.ok()) << used.status().ToString();
  return used.ok() ? *used : -1;
}

void PutEntries(ConsumeQueue& cq, int64_t from, int64_t to) {
  for (int64_t i = from; i < to; ++i) ASSERT_TRUE(cq.PutEntry(i, EntryFor(i)).ok()) << i;
}

// Overwrites `n` bytes at `offset` of a segment file with zeros, as a power cut that lost a page.
void ZeroRaw(const std::string& path, int64_t offset, int64_t n) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0) << path;
  const std::string zeros(static_cast<size_t>(n), '\0');
  ASSERT_EQ(::pwrite(fd, zeros.data(), zeros.size(), offset), n);
  ::close(fd);
}

// Finding a queue's end after a restart reads the tail of its last segment, not the segment, and
// faults none of it into the process.
TEST(ConsumeQueueTest, LoadReadsOnlyTheTailOfTheLastSegment) {
  TempDir dir;
  constexpr int64_t kEntries = 100000;  // 2 MB of a 6 MB segment
  {
    ConsumeQueue cq(FileSystem::Default(), dir.path(), "T", 0, kDefaultSegment);
    ASSERT_TRUE(cq.Load().ok());
    PutEntries(cq, 0, kEntries);
    ASSERT_TRUE(cq.Flush().ok());
  }
  RecordingFileSystem fs;
  const int64_t rss_before = Rss();
  ConsumeQueue cq(&fs, dir.path(), "T", 0, kDefaultSegment);
  ASSERT_TRUE(cq.Load().ok());
  EXPECT_LT(Rss() - rss_before, 1 << 20) << "Load faulted the segment in";
  EXPECT_EQ(cq.MaxOffset(), kEntries);
  int64_t read = 0;
  for (const FileCall& c : fs.calls()) {
    if (c.kind == FileCall::kRead) read += c.length;
  }
  EXPECT_LE(read, 2 * kReservationStepMax) << "of a queue of " << kEntries * 20 << " bytes";

  auto entries = cq.GetEntries(kEntries - 1, 2);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ(entries->front().commit_log_offset, EntryFor(kEntries - 1).commit_log_offset);
}

// A power cut can lose a page of entries while a later page survives. Recovery writes the lost
// entries of surviving records again, and TruncateDirty then cuts at the first entry that is empty
// or whose record is gone, dropping the stale entries after it from the file too.
TEST(ConsumeQueueTest, TruncateDirtyCutsAtAnEmptyEntryAndDropsWhatFollows) {
  TempDir dir;
  constexpr int64_t kSegment = 20 * 1000;
  std::string segment_path;
  {
    ConsumeQueue cq(FileSystem::Default(), dir.path(), "T", 0, kSegment);
    ASSERT_TRUE(cq.Load().ok());
    PutEntries(cq, 0, 100);
    ASSERT_TRUE(cq.Flush().ok());
    segment_path = dir.Sub("consumequeue/T/0/" + MappedFile::FileName(0));
  }
  ZeroRaw(segment_path, 40 * 20, 20 * 20);  // entries 40..59 lost; 60..99 survived

  ConsumeQueue cq(FileSystem::Default(), dir.path(), "T", 0, kSegment);
  ASSERT_TRUE(cq.Load().ok());
  EXPECT_EQ(cq.MaxOffset(), 100) << "the end is after the last entry written";
  // The commit log kept records 0..49; recovery dispatches again from record 30 (the checkpoint).
  PutEntries(cq, 30, 50);
  ASSERT_TRUE(cq.TruncateDirty(EntryFor(50).commit_log_offset).ok());
  EXPECT_EQ(cq.MaxOffset(), 50);
  auto entries = cq.GetEntries(0, 100);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 50u);
  for (int64_t i = 0; i < 50; ++i) {
    EXPECT_EQ((*entries)[static_cast<size_t>(i)].commit_log_offset, 100 * i) << i;
  }

  ConsumeQueue reopened(FileSystem::Default(), dir.path(), "T", 0, kSegment);
  ASSERT_TRUE(reopened.Load().ok());
  EXPECT_EQ(reopened.MaxOffset(), 50) << "the stale entries are gone from the file";
}

// A queue created again at the old offsets of a deleted topic starts with empty entries: it ends
// at its start, as when Load read up to the first empty entry.
TEST(ConsumeQueueTest, AQueueWhoseFirstEntryIsEmptyEndsAtItsStart) {
  TempDir dir;
  constexpr int64_t kSegment = 20 * 1000;
  {
    ConsumeQueue cq(FileSystem::Default(), dir.path(), "T", 0, kSegment);
    ASSERT_TRUE(cq.Load().ok());
    PutEntries(cq, 1005, 1010);  // a gap from 1000, the start of its segment
    ASSERT_TRUE(cq.Flush().ok());
  }
  ConsumeQueue cq(FileSystem::Default(), dir.path(), "T", 0, kSegment);
  ASSERT_TRUE(cq.Load().ok());
  EXPECT_EQ(cq.MinOffset(), 1000);
  EXPECT_EQ(cq.MaxOffset(), 1000);
  ASSERT_TRUE(cq.PutEntry(1000, EntryFor(1000)).ok());
  EXPECT_EQ(cq.MaxOffset(), 1001);
}

// A segment an older Holdfast reserved whole (or RocketMQ made sparse at full size) gives back the
// blocks past its last entry when it is loaded.
TEST(ConsumeQueueTest, LoadGivesBackTheBlocksOfASegmentReservedWhole) {
  TempDir dir;
  const std::string queue_dir = dir.Sub("consumequeue/T/0");
  ASSERT_TRUE(FileSystem::Default()->CreateDirs(queue_dir).ok());
  const std::string path = queue_dir + "/" + MappedFile::FileName(0);
  {
    auto file = FileSystem::Default()->Open(path, true);
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    ASSERT_TRUE((*file)->Allocate(kDefaultSegment).ok());
    char entries[40];
    PutBigEndian64(entries, 0);
    PutBigEndian32(entries + 8, 100);
    PutBigEndian64(entries + 12, 7);
    PutBigEndian64(entries + 20, 100);
    PutBigEndian32(entries + 28, 100);
    PutBigEndian64(entries + 32, 7);
    ASSERT_TRUE((*file)->Write(0, std::string_view(entries, sizeof entries)).ok());
    ASSERT_TRUE((*file)->Sync().ok());
  }
  ASSERT_GE(DiskUsageOf(path), kDefaultSegment);

  ConsumeQueue cq(FileSystem::Default(), dir.path(), "T", 0, kDefaultSegment);
  ASSERT_TRUE(cq.Load().ok());
  EXPECT_EQ(cq.MaxOffset(), 2);
  EXPECT_LE(DiskUsageOf(path), kReservationStepMin);
  PutEntries(cq, 2, 10);
  auto entries = cq.GetEntries(0, 10);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  EXPECT_EQ(entries->size(), 10u);
}

// What a broker with many topics meets (every consumer group adds a retry topic): 1,000 queues of
// one message each. Each must cost a few KiB of disk and, after a restart, of memory, not the
// 5.7 MiB segment that each queue used to reserve and fault in whole.
TEST(ConsumeQueueTest, ThousandNearlyEmptyQueuesTakeLittleDiskAndMemoryAfterRestart) {
  TempDir dir;
  constexpr int kTopics = 125;
  constexpr int kQueuesPerTopic = 8;
  constexpr int64_t kQueues = kTopics * kQueuesPerTopic;
  MessageStoreConfig config;  // default consume-queue segments and index geometry
  config.store_path_root_dir = dir.path();
  config.flush_disk_type = FlushDiskType::kAsyncFlush;
  config.mapped_file_size_commit_log = 64 << 20;
  {
    auto store = MessageStore::Open(config);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    int64_t seq = 0;
    for (int t = 0; t < kTopics; ++t) {
      for (int q = 0; q < kQueuesPerTopic; ++q) {
        PutMessageResult r =
            (*store)->PutMessage(MakeMessage("Many" + std::to_string(t), q, seq++, 1024));
        ASSERT_EQ(r.status, PutMessageStatus::kPutOk) << r.error;
      }
    }
    ASSERT_TRUE((*store)->WaitForDispatch(std::chrono::seconds(30)));
    ASSERT_TRUE((*store)->Shutdown().ok());
  }
  const int64_t disk = DiskUsageOf(dir.Sub("consumequeue"));
  EXPECT_LT(disk / kQueues, 64 << 10) << "consume queues take " << disk << " bytes on disk";

  const int64_t rss_before = Rss();
  auto store = MessageStore::Open(config);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const int64_t rss = Rss() - rss_before;
  EXPECT_LT(rss / kQueues, 64 << 10) << "the restarted store added " << rss << " bytes of RSS";
  EXPECT_EQ((*store)->GetMaxOffsetInQueue("Many124", 7), 1);
  GetMessageResult r = (*store)->GetMessage("Many0", 0, 0, 1);
  EXPECT_EQ(r.status, GetMessageStatus::kFound);
}

}  // namespace
}  // namespace holdfast::store
