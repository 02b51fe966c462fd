// Tests of one segment file: zero-filling, populating ahead of the writer, letting go of cached
// pages, and segments that grow as written.
#include "store/mapped_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "common/disk_usage.h"
#include "common/process_memory.h"
#include "store/file_system.h"
#include "store/reservation_step.h"
#include "tests/support/fault_file_system.h"
#include "tests/support/recording_file_system.h"
#include "tests/support/store_fixture.h"
#include "tests/support/temp_dir.h"

namespace holdfast::store {
namespace {

using holdfast::testing::FileCall;
using holdfast::testing::RecordingFileSystem;
using holdfast::testing::ResidentBytes;

// Zero-fill hands its bytes to the disk as it goes: at no point do more than kZeroFillWriteBack
// bytes of it wait for the final sync, which still comes last and covers the rest.
TEST(MappedFileTest, ZeroFillWritesBackAsItGoesAndSyncsAtTheEnd) {
  holdfast::testing::TempDir dir;
  RecordingFileSystem fs;
  constexpr int64_t kSize = 8 << 20;
  constexpr int64_t kFillTo = (4 << 20) + (100 << 10);  // not a whole number of pieces
  auto file = MappedFile::Open(&fs, dir.path(), 0, kSize, true);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_TRUE((*file)->EnsureFilled(kFillTo, 1 << 20).ok());
  const int64_t filled = (*file)->filled();
  ASSERT_GE(filled, kFillTo);

  int64_t written = 0;       // the fill's writes reached this far
  int64_t written_back = 0;  // its write-backs covered everything below this
  int64_t most_pending = 0;  // the most bytes written and not yet written back
  bool synced_after_last_write = false;
  for (const FileCall& c : fs.calls()) {
    if (c.kind == FileCall::kWrite) {
      EXPECT_EQ(c.offset, written) << "the fill writes in order, without gaps";
      written = c.offset + c.length;
      most_pending = std::max(most_pending, written - written_back);
      synced_after_last_write = false;
    } else if (c.kind == FileCall::kWriteBack) {
      EXPECT_EQ(c.offset, written_back) << "each write-back starts where the last one ended";
      EXPECT_LE(c.offset + c.length, written) << "nothing is written back before it is written";
      written_back = c.offset + c.length;
    } else if (c.kind == FileCall::kSync) {
      synced_after_last_write = true;
    }
  }
  EXPECT_EQ(written, filled);
  EXPECT_LE(most_pending, MappedFile::kZeroFillWriteBack);
  EXPECT_GE(written_back, filled - MappedFile::kZeroFillWriteBack)
      << "only a last, partial piece is left to the final sync";
  EXPECT_TRUE(synced_after_last_write) << "the fill ends with a sync";

  std::string back(static_cast<size_t>(filled), 'x');
  ASSERT_TRUE((*file)->Read(0, back.size(), back.data()).ok());
  EXPECT_EQ(back.find_first_not_of('\0'), std::string::npos) << "the fill wrote zeros";
}

// A segment reopened with the writer in its middle (after a restart) populates only ahead of the
// writer, not everything from its start.
TEST(MappedFileTest, PopulatingAheadStartsAtTheWriterNotAtTheSegmentStart) {
  holdfast::testing::TempDir dir;
  constexpr int64_t kSize = 64 << 20;
  constexpr int64_t kWindow = 4 << 20;
  auto file = MappedFile::Open(FileSystem::Default(), dir.path(), 0, kSize, true,
                               MappedFile::Access::kMapped);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const std::string path = (*file)->path();
  ASSERT_LT(ResidentBytes(path, kSize), kWindow) << "a fresh, reserved file has nothing cached";

  // The writer is at 40 MiB: its first claim asks for 2 windows past it.
  const int64_t pos = 40 << 20;
  const int64_t end = (*file)->ClaimPrepareAhead(pos, kWindow);
  EXPECT_EQ(end, pos + 2 * kWindow);
  EXPECT_EQ((*file)->ClaimPrepareAhead(pos + 1, kWindow), 0) << "already asked for";
  (*file)->PopulateTo(end);
  const int64_t resident = ResidentBytes(path, kSize);
  EXPECT_GE(resident, 2 * kWindow);
  // The kernel reads around each fault (readahead), so a little more than the windows may be
  // cached; populating from the segment's start would cache all 40 MiB below the writer.
  EXPECT_LT(resident, pos) << "populated below the writer";

  // Near the end the claim stops at the segment's size, and once there, asks for nothing more.
  EXPECT_EQ((*file)->ClaimPrepareAhead(kSize - kWindow / 2, kWindow), kSize);
  EXPECT_EQ((*file)->ClaimPrepareAhead(kSize - 1, kWindow), 0);
}

// Bytes that differ from page to page, so a page read back from the wrong place shows.
std::string Pattern(int64_t size) {
  std::string s(static_cast<size_t>(size), '\0');
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>('a' + (i / 4096 + i) % 26);
  return s;
}

// Synced pages below the point asked for leave the page cache, the ones above stay, and every
// byte still reads back the same (from the disk). Each range is let go once.
void CheckReleaseCache(MappedFile::Access access) {
  holdfast::testing::TempDir dir;
  if (!holdfast::testing::PageCacheCanDrop(dir.path())) {
    GTEST_SKIP() << dir.path() << " is on tmpfs or ramfs, whose pages cannot be dropped";
  }
  constexpr int64_t kSize = 16 << 20;
  constexpr int64_t kWritten = 8 << 20;
  constexpr int64_t kReleased = 6 << 20;
  auto file = MappedFile::Open(FileSystem::Default(), dir.path(), 0, kSize, true, access);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const std::string data = Pattern(kWritten);
  ASSERT_TRUE((*file)->Write(0, data).ok());
  ASSERT_TRUE((*file)->Sync().ok());
  const std::string path = (*file)->path();
  ASSERT_GE(ResidentBytes(path, kSize), kWritten) << "written pages are cached";

  EXPECT_EQ((*file)->ReleaseCacheTo(kReleased), kReleased);
  EXPECT_EQ(ResidentBytes(path, kWritten, kReleased), kWritten - kReleased)
      << "the pages above stay";
  EXPECT_EQ(ResidentBytes(path, kReleased), 0) << "the pages below are gone";

  EXPECT_EQ((*file)->ReleaseCacheTo(kReleased), 0) << "already let go";
  EXPECT_EQ((*file)->ReleaseCacheTo(kReleased - 4096), 0) << "never backwards";
  std::string back(static_cast<size_t>(kWritten), '\0');
  ASSERT_TRUE((*file)->Read(0, back.size(), back.data()).ok());
  EXPECT_TRUE(back == data) << "bytes changed by letting go of their pages";

  // Past the segment's end it stops at the end.
  EXPECT_EQ((*file)->ReleaseCacheTo(kSize + 4096), kSize - kReleased);
}

TEST(MappedFileTest, ReleaseCacheLetsGoOfSyncedPagesAndKeepsTheBytes) {
  CheckReleaseCache(MappedFile::Access::kPositional);
}

TEST(MappedFileTest, ReleaseCacheOfAMappedSegmentUnmapsItsPagesAndKeepsTheBytes) {
  CheckReleaseCache(MappedFile::Access::kMapped);
}

constexpr int64_t kQueueSegment = 300000LL * 20;  // mappedFileSizeConsumeQueue

int64_t DiskUsageOf(const std::string& path) {
  auto used = DiskUsage(path);
  EXPECT_TRUE(used.ok()) << used.status().ToString();
  return used.ok() ? *used : -1;
}

// A growing segment takes disk for what was written plus a step, not its full size, and reads
// back the same after it is reopened; past its file's end it reads as zeros.
TEST(MappedFileTest, GrowingSegmentTakesDiskForWhatIsWrittenPlusAStep) {
  holdfast::testing::TempDir dir;
  auto file = MappedFile::Open(FileSystem::Default(), dir.path(), 0, kQueueSegment, true,
                               MappedFile::Access::kMappedGrowing);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const std::string path = (*file)->path();
  EXPECT_EQ((*file)->filled(), 0);
  EXPECT_EQ(DiskUsageOf(path), 0) << "a new segment holds nothing";

  const std::string two_entries = Pattern(40);
  ASSERT_TRUE((*file)->Write(0, two_entries).ok());
  EXPECT_EQ((*file)->filled(), kReservationStepMin) << "one block reserved";
  EXPECT_LE(DiskUsageOf(path), 2 * kReservationStepMin);

  const std::string more = Pattern(200 << 10);
  ASSERT_TRUE((*file)->Write(40, more).ok());
  const int64_t written = 40 + static_cast<int64_t>(more.size());
  EXPECT_GE((*file)->filled(), written);
  EXPECT_LE((*file)->filled(), written + kReservationStepMax + kReservationStepMin);
  ASSERT_TRUE((*file)->Sync().ok());
  EXPECT_LE(DiskUsageOf(path), written + kReservationStepMax + kReservationStepMin)
      << "a " << kQueueSegment << "-byte segment holding " << written << " bytes";

  char zeros[20];
  ASSERT_TRUE((*file)->Read(kQueueSegment - 20, sizeof zeros, zeros).ok());
  EXPECT_EQ(std::string(zeros, sizeof zeros), std::string(20, '\0')) << "past the file's end";

  const int64_t filled = (*file)->filled();
  file->reset();
  auto reopened = MappedFile::Open(FileSystem::Default(), dir.path(), 0, kQueueSegment, false,
                                   MappedFile::Access::kMappedGrowing);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->filled(), filled) << "what is reserved is the file's length";
  std::string back(static_cast<size_t>(written), '\0');
  ASSERT_TRUE((*reopened)->Read(0, back.size(), back.data()).ok());
  EXPECT_TRUE(back == two_entries + more);
  // And it goes on growing where the last run stopped.
  ASSERT_TRUE((*reopened)->Write(filled, "x").ok());
  EXPECT_GT((*reopened)->filled(), filled);
}

// On a full disk the write into a growing segment fails with the reservation's error, before any
// store into the mapping (which would be SIGBUS), and succeeds once there is room again.
TEST(MappedFileTest, GrowingSegmentOnAFullDiskFailsTheWriteNotTheProcess) {
  holdfast::testing::TempDir dir;
  holdfast::testing::FaultInjectionFileSystem fs;
  auto file =
      MappedFile::Open(&fs, dir.path(), 0, kQueueSegment, true, MappedFile::Access::kMappedGrowing);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_TRUE((*file)->Write(0, Pattern(20)).ok());
  const int64_t filled = (*file)->filled();
  // Up to the reservation, a full disk changes nothing: the blocks are there.
  fs.FailAllocations(Status::NoSpace("injected: disk full"));
  ASSERT_TRUE((*file)->Write(filled - 20, Pattern(20)).ok());
  Status full = (*file)->Write(filled, Pattern(20));
  EXPECT_TRUE(full.IsNoSpace()) << full.ToString();
  EXPECT_EQ((*file)->filled(), filled);

  fs.ClearFaults();
  ASSERT_TRUE((*file)->Write(filled, Pattern(20)).ok());
  std::string back(20, '\0');
  ASSERT_TRUE((*file)->Read(filled, back.size(), back.data()).ok());
  EXPECT_EQ(back, Pattern(20));
}

// A growing segment's written pages stay in the process only until a Sync covers them, and reads
// fault nothing in: the resident part of a queue is the page its writer is on.
TEST(MappedFileTest, GrowingSegmentKeepsOnlyTheWritersPagesResidentAfterSync) {
  holdfast::testing::TempDir dir;
  constexpr int64_t kSize = 64 << 20;
  constexpr int64_t kWritten = 16 << 20;
  auto file = MappedFile::Open(FileSystem::Default(), dir.path(), 0, kSize, true,
                               MappedFile::Access::kMappedGrowing);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const std::string chunk = Pattern(1 << 20);
  // The file's pages only (RssFile): a sanitizer's shadow of the mapping is anonymous memory the
  // size of the pages touched or more (TSan: 67 MB for these 16 MB), and is no part of the promise.
  auto rss = [] {
    auto memory = ReadProcessMemory(::getpid());
    EXPECT_TRUE(memory.ok()) << memory.status().ToString();
    return memory.ok() ? memory->rss_file_bytes : 0;
  };
  const int64_t before = rss();
  for (int64_t pos = 0; pos < kWritten; pos += static_cast<int64_t>(chunk.size())) {
    ASSERT_TRUE((*file)->Write(pos, chunk).ok());
  }
  EXPECT_GE(rss() - before, kWritten * 3 / 4) << "the writer's stores fault pages in";

  ASSERT_TRUE((*file)->Sync().ok());
  EXPECT_LT(rss() - before, 2 << 20) << "synced pages left the process";

  std::string back(chunk.size(), '\0');
  for (int64_t pos = 0; pos < kWritten; pos += static_cast<int64_t>(back.size())) {
    ASSERT_TRUE((*file)->Read(pos, back.size(), back.data()).ok());
    ASSERT_TRUE(back == chunk) << "at " << pos;
  }
  EXPECT_LT(rss() - before, 4 << 20) << "reads fault nothing in";
}

}  // namespace
}  // namespace holdfast::store
