// Tests of one segment file: zero-filling, populating ahead of the writer and letting go of cached
// pages.
#include "store/mapped_file.h"

#include <gtest/gtest.h>

#include <string>

#include "store/file_system.h"
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
    } else {
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
  auto file = MappedFile::Open(FileSystem::Default(), dir.path(), 0, kSize, true, /*mapped=*/true);
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
void CheckReleaseCache(bool mapped) {
  holdfast::testing::TempDir dir;
  if (!holdfast::testing::PageCacheCanDrop(dir.path())) {
    GTEST_SKIP() << dir.path() << " is on tmpfs or ramfs, whose pages cannot be dropped";
  }
  constexpr int64_t kSize = 16 << 20;
  constexpr int64_t kWritten = 8 << 20;
  constexpr int64_t kReleased = 6 << 20;
  auto file = MappedFile::Open(FileSystem::Default(), dir.path(), 0, kSize, true, mapped);
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

TEST(MappedFileTest, ReleaseCacheLetsGoOfSyncedPagesAndKeepsTheBytes) { CheckReleaseCache(false); }

TEST(MappedFileTest, ReleaseCacheOfAMappedSegmentUnmapsItsPagesAndKeepsTheBytes) {
  CheckReleaseCache(true);
}

}  // namespace
}  // namespace holdfast::store
