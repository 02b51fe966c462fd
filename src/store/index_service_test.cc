#include "store/index_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/message.h"
#include "tests/support/fault_file_system.h"
#include "tests/support/temp_dir.h"

namespace holdfast::store {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kT0 = 1'700'000'000'000;
constexpr int64_t kForever = INT64_MAX;

DispatchRequest Req(int64_t offset, int64_t timestamp, std::string_view keys,
                    std::string_view uniq_key = "", int32_t sys_flag = 0) {
  DispatchRequest req;
  req.topic = "TopicA";
  req.commit_log_offset = offset;
  req.store_timestamp = timestamp;
  req.keys = keys;
  req.uniq_key = uniq_key;
  req.sys_flag = sys_flag;
  return req;
}

class IndexServiceTest : public ::testing::Test {
 protected:
  std::unique_ptr<IndexService> NewService(int32_t slots = 16, int32_t entries = 64) {
    auto service = std::make_unique<IndexService>(fs_, index_dir_, slots, entries);
    Status s = service->Load();
    EXPECT_TRUE(s.ok()) << s.ToString();
    return service;
  }

  std::vector<int64_t> Query(const IndexService& service, std::string_view key, int max_num = 100,
                             int64_t begin = 0, int64_t end = kForever) {
    return service.QueryOffsets("TopicA", key, max_num, begin, end);
  }

  std::vector<std::string> FileNames() {
    auto names = fs_->ListDir(index_dir_);
    EXPECT_TRUE(names.ok()) << names.status().ToString();
    std::vector<std::string> out = names.ok() ? *names : std::vector<std::string>();
    std::sort(out.begin(), out.end());
    return out;
  }

  testing::TempDir dir_;
  FileSystem* fs_ = FileSystem::Default();
  std::string index_dir_ = dir_.Sub("store/index");
};

TEST_F(IndexServiceTest, FindsMessagesByEachKeyAndByUniqueKey) {
  auto service = NewService();
  ASSERT_TRUE(service->BuildIndex(Req(100, kT0, "order-1 order-2", "UNIQ-1")).ok());
  ASSERT_TRUE(service->BuildIndex(Req(200, kT0 + 1, " order-2  order-3 ", "UNIQ-2")).ok());

  EXPECT_THAT(Query(*service, "order-1"), ElementsAre(100));
  EXPECT_THAT(Query(*service, "order-2"), ElementsAre(200, 100));
  EXPECT_THAT(Query(*service, "order-3"), ElementsAre(200));
  EXPECT_THAT(Query(*service, "UNIQ-1"), ElementsAre(100));
  EXPECT_THAT(Query(*service, "UNIQ-2"), ElementsAre(200));
  EXPECT_THAT(Query(*service, ""), IsEmpty());
  EXPECT_THAT(service->QueryOffsets("OtherTopic", "order-1", 100, 0, kForever), IsEmpty());
  EXPECT_THAT(Query(*service, "order-2", 1), ElementsAre(200));
  EXPECT_THAT(Query(*service, "order-2", 0), IsEmpty());
  EXPECT_EQ(service->LastIndexedPhyOffset(), 200);
  EXPECT_EQ(service->LastIndexedTimestamp(), kT0 + 1);
}

TEST_F(IndexServiceTest, NothingIndexedLeavesNoFiles) {
  auto service = NewService();
  EXPECT_EQ(service->LastIndexedPhyOffset(), 0);
  ASSERT_TRUE(service->BuildIndex(Req(100, kT0, "")).ok());
  EXPECT_FALSE(fs_->Exists(index_dir_));
  EXPECT_TRUE(service->Flush().ok());
  EXPECT_THAT(Query(*service, "x"), IsEmpty());
}

TEST_F(IndexServiceTest, SkipsRollbackRecordsOnly) {
  auto service = NewService();
  ASSERT_TRUE(service->BuildIndex(Req(100, kT0, "k", "", sysflag::kTransactionPreparedType)).ok());
  ASSERT_TRUE(service->BuildIndex(Req(200, kT0, "k", "", sysflag::kTransactionRollbackType)).ok());
  ASSERT_TRUE(service->BuildIndex(Req(300, kT0, "k", "", sysflag::kTransactionCommitType)).ok());
  ASSERT_TRUE(service->BuildIndex(Req(400, kT0, "k", "", sysflag::kMultiTags)).ok());
  EXPECT_THAT(Query(*service, "k"), ElementsAre(400, 300, 100));
}

TEST_F(IndexServiceTest, RollsToNewFilesAndQueriesSpanThem) {
  auto service = NewService(/*slots=*/4, /*entries=*/4);  // three keys per file
  for (int i = 0; i < 10; ++i) {
    std::string uniq = "u" + std::to_string(i);
    ASSERT_TRUE(service->BuildIndex(Req(100 * i, kT0 + i, "same", uniq)).ok());
  }
  // Twenty keys, three per file; all files created within a few milliseconds.
  const std::vector<std::string> names = FileNames();
  ASSERT_EQ(names.size(), 7u);
  for (const std::string& name : names) EXPECT_EQ(name.size(), 17u) << name;
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());

  EXPECT_THAT(Query(*service, "same"), ElementsAre(900, 800, 700, 600, 500, 400, 300, 200, 100, 0));
  EXPECT_THAT(Query(*service, "same", 3), ElementsAre(900, 800, 700));
  for (int i = 0; i < 10; ++i) {
    EXPECT_THAT(Query(*service, "u" + std::to_string(i)), ElementsAre(100 * i));
  }
}

TEST_F(IndexServiceTest, TimeRangeSelectsFilesAndEntries) {
  auto service = NewService(/*slots=*/4, /*entries=*/3);  // two keys per file
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(service->BuildIndex(Req(100 * i, kT0 + 10'000 * i, "k")).ok());
  }
  EXPECT_THAT(Query(*service, "k", 100, kT0 + 20'000, kT0 + 40'000), ElementsAre(400, 300, 200));
  EXPECT_THAT(Query(*service, "k", 100, kT0 + 65'000, kForever), ElementsAre(700));
  EXPECT_THAT(Query(*service, "k", 100, 0, kT0 - 1), IsEmpty());
}

TEST_F(IndexServiceTest, ReloadFindsEverythingAndContinues) {
  {
    auto service = NewService(4, 4);
    for (int i = 0; i < 10; ++i) {
      std::string uniq = "u" + std::to_string(i);
      ASSERT_TRUE(service->BuildIndex(Req(100 * i, kT0 + i, "same", uniq)).ok());
    }
    ASSERT_TRUE(service->Flush().ok());
  }
  auto service = NewService(4, 4);
  EXPECT_EQ(service->LastIndexedPhyOffset(), 900);
  EXPECT_EQ(service->LastIndexedTimestamp(), kT0 + 9);
  EXPECT_THAT(Query(*service, "same"), ElementsAre(900, 800, 700, 600, 500, 400, 300, 200, 100, 0));
  EXPECT_THAT(Query(*service, "u3"), ElementsAre(300));

  ASSERT_TRUE(service->BuildIndex(Req(1000, kT0 + 10, "same", "u10")).ok());
  EXPECT_THAT(Query(*service, "same", 2), ElementsAre(1000, 900));
  EXPECT_THAT(Query(*service, "u10"), ElementsAre(1000));
}

TEST_F(IndexServiceTest, RedispatchDoesNotDuplicateResults) {
  auto service = NewService(4, 8);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(service->BuildIndex(Req(100 * i, kT0 + i, "same", "u" + std::to_string(i))).ok());
  }
  ASSERT_TRUE(service->Flush().ok());
  // Recovery re-dispatches from an earlier record, after a restart.
  service = NewService(4, 8);
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(service->BuildIndex(Req(100 * i, kT0 + i, "same", "u" + std::to_string(i))).ok());
  }
  EXPECT_THAT(Query(*service, "same"), ElementsAre(600, 500, 400, 300, 200, 100, 0));
  EXPECT_THAT(Query(*service, "u4"), ElementsAre(400));
  EXPECT_THAT(Query(*service, "same", 3), ElementsAre(600, 500, 400));
}

TEST_F(IndexServiceTest, LoadOfMissingDirectoryIsEmpty) {
  IndexService service(fs_, dir_.Sub("nowhere/index"), 4, 4);
  ASSERT_TRUE(service.Load().ok());
  EXPECT_EQ(service.LastIndexedPhyOffset(), 0);
  EXPECT_THAT(service.QueryOffsets("TopicA", "k", 10, 0, kForever), IsEmpty());
}

TEST_F(IndexServiceTest, BadHeaderFailsLoadNamingTheFile) {
  {
    auto service = NewService(4, 3);
    for (int i = 0; i < 6; ++i) ASSERT_TRUE(service->BuildIndex(Req(100 * i, kT0, "k")).ok());
    ASSERT_TRUE(service->Flush().ok());
  }
  const std::vector<std::string> names = FileNames();
  ASSERT_EQ(names.size(), 3u);
  {
    auto file = fs_->Open(index_dir_ + "/" + names[1], false);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Write(32, std::string(8, '\x7f')).ok());  // impossible index count
  }
  IndexService service(fs_, index_dir_, 4, 3);
  Status s = service.Load();
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.message().find(names[1]), std::string::npos) << s.ToString();

  {
    auto file = fs_->Open(index_dir_ + "/" + names[1], false);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Truncate(20).ok());
  }
  s = service.Load();
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.message().find(names[1]), std::string::npos) << s.ToString();
}

TEST_F(IndexServiceTest, StrayFilesInTheDirectoryAreIgnored) {
  ASSERT_TRUE(fs_->CreateDirs(index_dir_).ok());
  ASSERT_TRUE(WriteFileAtomically(fs_, index_dir_ + "/README", "not an index file").ok());
  auto service = NewService(4, 4);
  ASSERT_TRUE(service->BuildIndex(Req(100, kT0, "k")).ok());
  EXPECT_THAT(Query(*service, "k"), ElementsAre(100));
}

TEST_F(IndexServiceTest, FailedSyncIsSticky) {
  testing::FaultInjectionFileSystem faulty;
  IndexService service(&faulty, index_dir_, 4, 8);
  ASSERT_TRUE(service.Load().ok());
  ASSERT_TRUE(service.BuildIndex(Req(100, kT0, "k")).ok());
  faulty.FailSyncs(Status::IoError("injected"));
  EXPECT_EQ(service.Flush().code(), Status::Code::kIoError);
  faulty.ClearFaults();
  EXPECT_EQ(service.Flush().code(), Status::Code::kIoError);
  EXPECT_EQ(service.BuildIndex(Req(200, kT0, "k")).code(), Status::Code::kIoError);
  EXPECT_THAT(service.QueryOffsets("TopicA", "k", 10, 0, kForever), ElementsAre(100));
}

TEST_F(IndexServiceTest, PowerLossKeepsFlushedKeysAndRedispatchRestoresTheRest) {
  testing::FaultInjectionFileSystem faulty;
  {
    IndexService service(&faulty, index_dir_, 4, 6);  // five keys per file
    ASSERT_TRUE(service.Load().ok());
    for (int i = 0; i < 6; ++i) {
      ASSERT_TRUE(service.BuildIndex(Req(100 * i, kT0 + i, "same", "u" + std::to_string(i))).ok());
    }
    ASSERT_TRUE(service.Flush().ok());
    // Unflushed, and two files roll in the middle (each roll syncs the file it leaves).
    for (int i = 6; i < 12; ++i) {
      ASSERT_TRUE(service.BuildIndex(Req(100 * i, kT0 + i, "same", "u" + std::to_string(i))).ok());
    }
    faulty.Crash();
  }
  faulty.Revive();
  IndexService service(&faulty, index_dir_, 4, 6);
  ASSERT_TRUE(service.Load().ok());
  const int64_t last = service.LastIndexedPhyOffset();
  EXPECT_GE(last, 500);
  std::vector<int64_t> found = Query(service, "same");
  ASSERT_GE(found.size(), 6u);
  EXPECT_THAT(std::vector<int64_t>(found.end() - 6, found.end()),
              ElementsAre(500, 400, 300, 200, 100, 0));
  // Recovery re-dispatches from an earlier record.
  for (int i = 3; i < 12; ++i) {
    ASSERT_TRUE(service.BuildIndex(Req(100 * i, kT0 + i, "same", "u" + std::to_string(i))).ok());
  }
  EXPECT_THAT(Query(service, "same"),
              ElementsAre(1100, 1000, 900, 800, 700, 600, 500, 400, 300, 200, 100, 0));
  for (int i = 0; i < 12; ++i) {
    EXPECT_THAT(Query(service, "u" + std::to_string(i)), ElementsAre(100 * i)) << i;
  }
}

TEST_F(IndexServiceTest, QueriesAndFlushesRunAlongsideIndexing) {
  auto service = NewService(/*slots=*/32, /*entries=*/100);
  constexpr int kMessages = 1000;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < kMessages; ++i) {
      std::string keys = "all k" + std::to_string(i % 10);
      Status s = service->BuildIndex(Req(i, kT0 + i, keys));
      if (!s.ok()) {
        ADD_FAILURE() << s.ToString();
        break;
      }
    }
    done = true;
  });
  std::thread flusher([&] {
    while (!done) {
      Status s = service->Flush();
      if (!s.ok()) {
        ADD_FAILURE() << s.ToString();
        break;
      }
    }
  });
  size_t last_seen = 0;
  while (!done) {
    std::vector<int64_t> found = Query(*service, "all", kMessages);
    EXPECT_GE(found.size(), last_seen);  // what is indexed stays found
    EXPECT_TRUE(std::is_sorted(found.rbegin(), found.rend()));
    last_seen = found.size();
  }
  writer.join();
  flusher.join();
  ASSERT_TRUE(service->Flush().ok());
  EXPECT_EQ(Query(*service, "all", kMessages).size(), static_cast<size_t>(kMessages));
  EXPECT_EQ(Query(*service, "k3", kMessages).size(), static_cast<size_t>(kMessages / 10));
}

}  // namespace
}  // namespace holdfast::store
