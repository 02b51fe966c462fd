// Tests of the commit log's segment allocator: a new positional segment is handed out after its
// first step, and is zero-filled ahead of the writer while the writer appends to it.
#include "store/allocate_mapped_file_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "store/file_system.h"
#include "tests/support/recording_file_system.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_until.h"

namespace holdfast::store {
namespace {

using Service = AllocateMappedFileService;
constexpr int64_t kSegment = 64 << 20;

// A started service over `fs` in a new directory, and the first segment it handed out.
struct FirstSegment {
  explicit FirstSegment(FileSystem* fs = FileSystem::Default())
      : service(fs, dir.path(), kSegment, /*mapped=*/false) {
    service.Start();
    service.Request(0);
    file = service.Take(0);
  }

  holdfast::testing::TempDir dir;
  Service service;  // shut down by its destructor, which joins the fill
  std::shared_ptr<MappedFile> file;
};

// A new segment is handed out once its first step is filled, not the whole segment: a 1 GiB
// segment filled whole kept a new store's first send waiting for seconds.
TEST(AllocateMappedFileServiceTest, NewSegmentIsHandedOutAfterItsFirstStep) {
  FirstSegment first;
  Service& service = first.service;
  const std::shared_ptr<MappedFile>& file = first.file;
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->start_offset(), 0);
  EXPECT_GE(file->filled(), Service::kFillStep);
  EXPECT_LT(file->filled(), kSegment);
  EXPECT_EQ(service.Take(0), nullptr) << "a segment is handed out once";
}

// PrepareAhead fills up to the end asked for, in steps, with zeros.
TEST(AllocateMappedFileServiceTest, PrepareAheadZeroFillsUpToTheEndAskedFor) {
  FirstSegment first;
  Service& service = first.service;
  const std::shared_ptr<MappedFile>& file = first.file;
  ASSERT_NE(file, nullptr);
  const int64_t end = 5 * Service::kFillStep / 2;
  service.PrepareAhead(file, end);
  ASSERT_TRUE(holdfast::testing::WaitUntil([&] { return file->filled() >= end; },
                                           std::chrono::seconds(30)));
  EXPECT_LT(file->filled(), end + Service::kFillStep) << "filled beyond one step past the end";
  std::string back(static_cast<size_t>(end), 'x');
  ASSERT_TRUE(file->Read(0, back.size(), back.data()).ok());
  EXPECT_EQ(back.find_first_not_of('\0'), std::string::npos);
}

// The writer and the service fill the same segment at the same time, as the commit log's writer
// does when it catches up with the fill ahead of it: they take turns, so every byte of the segment
// is zero-filled exactly once (a second fill of a range could land after the writer's record).
TEST(AllocateMappedFileServiceTest, WriterAndServiceTakeTurnsAtTheFill) {
  holdfast::testing::RecordingFileSystem fs;
  FirstSegment first(&fs);
  Service& service = first.service;
  const std::shared_ptr<MappedFile>& file = first.file;
  ASSERT_NE(file, nullptr);
  service.PrepareAhead(file, kSegment);
  for (int64_t pos = 0; pos < kSegment; pos += 1 << 20) {
    ASSERT_TRUE(file->EnsureFilled(pos + 1, 1 << 20).ok());
  }
  service.Shutdown();
  std::vector<std::pair<int64_t, int64_t>> writes;
  for (const holdfast::testing::FileCall& c : fs.calls()) {
    if (c.kind == holdfast::testing::FileCall::kWrite) writes.emplace_back(c.offset, c.length);
  }
  std::sort(writes.begin(), writes.end());
  int64_t covered = 0;
  for (const auto& [offset, length] : writes) {
    ASSERT_EQ(offset, covered) << "a range was filled twice, or skipped";
    covered += length;
  }
  EXPECT_EQ(covered, kSegment);
}

// The writer appends while the service fills ahead of it, as the commit log does: the fill never
// writes zeros over appended bytes, and every byte reads back.
TEST(AllocateMappedFileServiceTest, WriterAppendsWhileTheServiceFillsAhead) {
  FirstSegment first;
  Service& service = first.service;
  const std::shared_ptr<MappedFile>& file = first.file;
  ASSERT_NE(file, nullptr);
  // Records of a size that does not divide a step, so appends cross every step boundary.
  constexpr int64_t kRecord = 3001;
  std::string record(static_cast<size_t>(kRecord), '\0');
  int64_t pos = 0;
  int n = 0;
  while (pos + kRecord <= kSegment) {
    for (int64_t i = 0; i < kRecord; ++i) record[static_cast<size_t>(i)] = static_cast<char>(n + i);
    ASSERT_TRUE(file->EnsureFilled(pos + kRecord, Service::kFillStep).ok());
    ASSERT_TRUE(file->Write(pos, record).ok());
    pos += kRecord;
    ++n;
    if (int64_t ahead = file->ClaimPrepareAhead(pos, service.window())) {
      service.PrepareAhead(file, ahead);
    }
  }
  service.Shutdown();  // joins the fill: nothing writes the file from here on
  std::string back(static_cast<size_t>(kRecord), '\0');
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(file->Read(i * kRecord, back.size(), back.data()).ok());
    for (int64_t j = 0; j < kRecord; ++j) {
      ASSERT_EQ(back[static_cast<size_t>(j)], static_cast<char>(i + j))
          << "record " << i << " byte " << j;
    }
  }
}

}  // namespace
}  // namespace holdfast::store
