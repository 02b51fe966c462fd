#include "tests/support/fault_file_system.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.h"

namespace holdfast::testing {
namespace {

using store::File;
using store::FileSystem;
using store::MappedRegion;

// What is really on disk, bypassing the fault layer.
std::string OnDisk(const std::string& path) {
  auto data = store::ReadWholeFile(FileSystem::Default(), path);
  EXPECT_TRUE(data.ok()) << data.status().ToString();
  return data.ok() ? *data : std::string();
}

std::unique_ptr<File> OpenOrDie(FileSystem& fs, const std::string& path, bool create = true) {
  auto file = fs.Open(path, create);
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  return file.ok() ? std::move(file).value() : nullptr;
}

std::unique_ptr<MappedRegion> MapOrDie(File& file, size_t size) {
  auto region = file.Map(size);
  EXPECT_TRUE(region.ok()) << region.status().ToString();
  return region.ok() ? std::move(region).value() : nullptr;
}

void Store(MappedRegion& region, size_t offset, std::string_view bytes) {
  ASSERT_LE(offset + bytes.size(), region.size());
  std::memcpy(region.data() + offset, bytes.data(), bytes.size());
}

bool IsSimulatedCrash(const Status& s) {
  return s.code() == Status::Code::kIoError && s.message() == "simulated crash";
}

// Polls cond until it holds or 10 s pass.
template <typename Cond>
bool WaitFor(Cond cond) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!cond()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

class FaultInjectionFileSystemTest : public ::testing::Test {
 protected:
  TempDir dir_;
  FaultInjectionFileSystem fs_;
};

TEST_F(FaultInjectionFileSystemTest, UnsyncedAppendIsDroppedOnDrop) {
  std::string path = dir_.Sub("log");
  auto file = OpenOrDie(fs_, path);
  ASSERT_TRUE(file->Write(0, "hello").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Write(5, " world").ok());
  EXPECT_EQ(OnDisk(path), "hello world");

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "hello");
}

TEST_F(FaultInjectionFileSystemTest, SyncedDataSurvivesDrop) {
  std::string path = dir_.Sub("log");
  auto file = OpenOrDie(fs_, path);
  ASSERT_TRUE(file->Write(0, "abc").ok());
  ASSERT_TRUE(file->Write(3, "def").ok());
  ASSERT_TRUE(file->Sync().ok());

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "abcdef");
  // The File stays usable after a drop, and the next drop forgets only what came after it.
  ASSERT_TRUE(file->Write(6, "ghi").ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "abcdef");
}

TEST_F(FaultInjectionFileSystemTest, PreexistingFileCountsAsSynced) {
  std::string path = dir_.Sub("old");
  ASSERT_TRUE(store::WriteFileAtomically(FileSystem::Default(), path, "before").ok());
  auto file = OpenOrDie(fs_, path, false);
  ASSERT_TRUE(file->Write(0, "AFTER!!!").ok());

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "before");
}

TEST_F(FaultInjectionFileSystemTest, OverwriteOfSyncedBytesIsUndoneOnDrop) {
  std::string path = dir_.Sub("log");
  auto file = OpenOrDie(fs_, path);
  ASSERT_TRUE(file->Write(0, "0123456789").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Write(2, "XYZ").ok());
  ASSERT_TRUE(file->Write(3, "QQ").ok());     // overwrites bytes already overwritten once
  ASSERT_TRUE(file->Write(8, "tail!").ok());  // straddles the synced size
  EXPECT_EQ(OnDisk(path), "01XQQ567tail!");

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "0123456789");
}

TEST_F(FaultInjectionFileSystemTest, TruncateBelowSyncedSizeIsUndoneOnDrop) {
  std::string path = dir_.Sub("log");
  auto file = OpenOrDie(fs_, path);
  ASSERT_TRUE(file->Write(0, "0123456789").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Truncate(4).ok());
  ASSERT_TRUE(file->Write(4, "ab").ok());
  EXPECT_EQ(OnDisk(path), "0123ab");

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "0123456789");
}

TEST_F(FaultInjectionFileSystemTest, CreatedNeverSyncedFileDisappears) {
  std::string never = dir_.Sub("never-synced");
  std::string synced = dir_.Sub("synced-empty");
  auto a = OpenOrDie(fs_, never);
  ASSERT_TRUE(a->Write(0, "data").ok());
  auto b = OpenOrDie(fs_, synced);
  ASSERT_TRUE(b->Sync().ok());
  ASSERT_TRUE(b->Write(0, "unsynced").ok());

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_FALSE(FileSystem::Default()->Exists(never));
  ASSERT_TRUE(FileSystem::Default()->Exists(synced));
  EXPECT_EQ(OnDisk(synced), "");
}

TEST_F(FaultInjectionFileSystemTest, FilesOnOnePathShareTheirState) {
  std::string path = dir_.Sub("log");
  auto writer = OpenOrDie(fs_, path);
  auto syncer = OpenOrDie(fs_, path);
  ASSERT_TRUE(writer->Write(0, "synced").ok());
  ASSERT_TRUE(syncer->Sync().ok());
  ASSERT_TRUE(writer->Write(6, "+lost").ok());

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "synced");
}

TEST_F(FaultInjectionFileSystemTest, RenameIsDurableAndCarriesTheSyncedState) {
  std::string path = dir_.Sub("checkpoint");
  ASSERT_TRUE(store::WriteFileAtomically(&fs_, path, "v1").ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "v1");
  EXPECT_FALSE(FileSystem::Default()->Exists(path + ".tmp"));

  // Renamed but never synced: the rename survives, the unsynced bytes do not.
  auto file = OpenOrDie(fs_, dir_.Sub("a"));
  ASSERT_TRUE(file->Write(0, "xyz").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Write(3, "!!").ok());
  ASSERT_TRUE(fs_.Rename(dir_.Sub("a"), dir_.Sub("b")).ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_FALSE(FileSystem::Default()->Exists(dir_.Sub("a")));
  EXPECT_EQ(OnDisk(dir_.Sub("b")), "xyz");
}

TEST_F(FaultInjectionFileSystemTest, CrashFailsEveryLaterCallUntilRevive) {
  std::string path = dir_.Sub("log");
  auto file = OpenOrDie(fs_, path);
  ASSERT_TRUE(file->Write(0, "kept").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Write(4, "-lost").ok());

  fs_.Crash();
  EXPECT_TRUE(fs_.crashed());
  EXPECT_EQ(OnDisk(path), "kept");
  EXPECT_TRUE(IsSimulatedCrash(file->Write(4, "zombie")));
  EXPECT_TRUE(IsSimulatedCrash(file->Sync()));
  EXPECT_TRUE(IsSimulatedCrash(file->Truncate(0)));
  EXPECT_TRUE(IsSimulatedCrash(fs_.Open(dir_.Sub("new"), true).status()));
  EXPECT_TRUE(IsSimulatedCrash(fs_.Remove(path)));
  EXPECT_TRUE(IsSimulatedCrash(fs_.Rename(path, dir_.Sub("moved"))));
  EXPECT_TRUE(IsSimulatedCrash(fs_.CreateDirs(dir_.Sub("d/e"))));
  EXPECT_TRUE(IsSimulatedCrash(fs_.SyncDir(dir_.path())));
  EXPECT_EQ(OnDisk(path), "kept");
  EXPECT_FALSE(FileSystem::Default()->Exists(dir_.Sub("new")));
  EXPECT_FALSE(FileSystem::Default()->Exists(dir_.Sub("d")));

  fs_.Revive();
  EXPECT_FALSE(fs_.crashed());
  EXPECT_TRUE(IsSimulatedCrash(file->Write(4, "zombie")));  // a File of the dead "process"
  auto reopened = OpenOrDie(fs_, path, false);
  ASSERT_TRUE(reopened->Write(4, "+new").ok());
  ASSERT_TRUE(reopened->Sync().ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "kept+new");
}

TEST_F(FaultInjectionFileSystemTest, FailWritesAfterWritesThePrefixThatFitsThenFails) {
  std::string path = dir_.Sub("log");
  auto file = OpenOrDie(fs_, path);
  fs_.FailWritesAfter(5, Status::NoSpace("injected ENOSPC"));
  ASSERT_TRUE(file->Write(0, "abc").ok());
  Status crossing = file->Write(3, "defgh");
  EXPECT_TRUE(crossing.IsNoSpace());
  EXPECT_EQ(crossing.message(), "injected ENOSPC");
  EXPECT_EQ(OnDisk(path), "abcde");
  EXPECT_TRUE(file->Write(5, "x").IsNoSpace());
  EXPECT_EQ(OnDisk(path), "abcde");
  EXPECT_EQ(fs_.bytes_written(), 5);

  fs_.ClearFaults();
  ASSERT_TRUE(file->Write(5, "fgh").ok());
  EXPECT_EQ(OnDisk(path), "abcdefgh");
  EXPECT_EQ(fs_.bytes_written(), 8);
}

TEST_F(FaultInjectionFileSystemTest, FailedSyncsLeaveTheDataUnsynced) {
  std::string path = dir_.Sub("log");
  auto file = OpenOrDie(fs_, path);
  ASSERT_TRUE(file->Write(0, "one").ok());
  ASSERT_TRUE(file->Sync().ok());
  fs_.FailSyncs(Status::IoError("injected EIO"));
  ASSERT_TRUE(file->Write(3, "two").ok());
  EXPECT_EQ(file->Sync().message(), "injected EIO");
  EXPECT_EQ(fs_.SyncDir(dir_.path()).message(), "injected EIO");
  EXPECT_EQ(fs_.sync_count(), 2);
  EXPECT_EQ(fs_.sync_dir_count(), 1);

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "one");
  fs_.ClearFaults();
  ASSERT_TRUE(file->Write(3, "two").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "onetwo");
}

TEST_F(FaultInjectionFileSystemTest, SyncAndReadFaultsCanBeLimitedToPathsContainingAPart) {
  ASSERT_TRUE(fs_.CreateDirs(dir_.Sub("bad")).ok());
  auto bad = OpenOrDie(fs_, dir_.Sub("bad/file"));
  auto good = OpenOrDie(fs_, dir_.Sub("good"));
  ASSERT_TRUE(bad->Write(0, "bad").ok());
  ASSERT_TRUE(good->Write(0, "good").ok());
  fs_.FailSyncs(Status::IoError("injected EIO"), "/bad");
  fs_.FailReads(Status::IoError("injected read EIO"), "/bad/");
  EXPECT_EQ(bad->Sync().message(), "injected EIO");
  EXPECT_EQ(fs_.SyncDir(dir_.Sub("bad")).message(), "injected EIO");
  EXPECT_TRUE(good->Sync().ok());
  EXPECT_TRUE(fs_.SyncDir(dir_.path()).ok());
  char buf[4];
  auto read = bad->Read(0, 3, buf);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().message(), "injected read EIO");
  auto read_good = good->Read(0, 4, buf);
  ASSERT_TRUE(read_good.ok()) << read_good.status().ToString();
  EXPECT_EQ(std::string(buf, *read_good), "good");
  EXPECT_EQ(fs_.injected_sync_failures(), 2);
  EXPECT_EQ(fs_.injected_read_failures(), 1);

  fs_.FailReads(Status::IoError("injected read EIO"), "/bad/", 1);
  EXPECT_TRUE(bad->Read(0, 3, buf).ok());
  EXPECT_FALSE(bad->Read(0, 3, buf).ok());
  EXPECT_EQ(fs_.injected_read_failures(), 2);

  fs_.ClearFaults();
  EXPECT_TRUE(bad->Sync().ok());
  read = bad->Read(0, 3, buf);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(std::string(buf, *read), "bad");
}

TEST_F(FaultInjectionFileSystemTest, ConcurrentWritersToDifferentFilesThenDrop) {
  constexpr int kThreads = 4;
  constexpr int kRecords = 200;
  constexpr int kSyncEvery = 16;
  std::vector<std::string> synced(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto file = OpenOrDie(fs_, dir_.Sub("file" + std::to_string(t)));
      std::string written;
      for (int i = 0; i < kRecords; ++i) {
        std::string record = "thread " + std::to_string(t) + " record " + std::to_string(i) + "\n";
        ASSERT_TRUE(file->Write(static_cast<int64_t>(written.size()), record).ok());
        written += record;
        if (i % kSyncEvery == kSyncEvery - 1) {
          ASSERT_TRUE(file->Sync().ok());
          synced[t] = written;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(OnDisk(dir_.Sub("file" + std::to_string(t))), synced[t]) << "file " << t;
  }
}

TEST_F(FaultInjectionFileSystemTest, SyncRacingWritesToTheSameFileKeepsWhatItCovered) {
  std::string path = dir_.Sub("log");
  auto file = OpenOrDie(fs_, path);
  std::atomic<bool> stop{false};
  std::atomic<int64_t> written{0};
  std::string content;  // the writer's until it is joined
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      std::string record = std::to_string(i) + ",";
      if (!file->Write(written.load(), record).ok()) break;
      content += record;
      written.fetch_add(static_cast<int64_t>(record.size()));
    }
  });
  int64_t durable = 0;  // written before the start of the last Sync that returned ok
  for (int i = 0; i < 50; ++i) {
    int64_t before = written.load();
    Status synced = file->Sync();
    EXPECT_TRUE(synced.ok()) << synced.ToString();
    if (!synced.ok()) break;
    durable = before;
  }
  stop = true;
  writer.join();

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  std::string after = OnDisk(path);
  EXPECT_GE(static_cast<int64_t>(after.size()), durable);
  EXPECT_LE(after.size(), content.size());
  EXPECT_EQ(after, content.substr(0, after.size()));
}

TEST_F(FaultInjectionFileSystemTest, SlowSyncDoesNotBlockWritesToOtherFiles) {
  auto slow = OpenOrDie(fs_, dir_.Sub("slow"));
  auto other = OpenOrDie(fs_, dir_.Sub("other"));
  fs_.SetSyncDelay(std::chrono::milliseconds(1000));
  std::atomic<bool> sync_done{false};
  std::thread syncer([&] {
    EXPECT_TRUE(slow->Sync().ok());
    sync_done = true;
  });
  // No ASSERT while the thread runs: returning early would destroy a joinable std::thread.
  EXPECT_TRUE(WaitFor([&] { return fs_.sync_count() == 1; }));
  EXPECT_TRUE(other->Write(0, "not blocked").ok());
  EXPECT_TRUE(slow->Write(0, "neither").ok());
  EXPECT_FALSE(sync_done.load());
  syncer.join();
}

TEST_F(FaultInjectionFileSystemTest, CrashDuringASyncDropsWhatThatSyncCovered) {
  std::string path = dir_.Sub("log");
  auto file = OpenOrDie(fs_, path);
  ASSERT_TRUE(file->Write(0, "synced").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Write(6, "+in-flight").ok());
  fs_.SetSyncDelay(std::chrono::milliseconds(1000));
  Status in_flight;
  std::thread syncer([&] { in_flight = file->Sync(); });
  EXPECT_TRUE(WaitFor([&] { return fs_.sync_count() == 2; }));
  fs_.Crash();
  syncer.join();

  EXPECT_TRUE(IsSimulatedCrash(in_flight));
  EXPECT_EQ(OnDisk(path), "synced");
}

TEST_F(FaultInjectionFileSystemTest, AllocateGrowsTheFileAndADropCutsItBack) {
  std::string path = dir_.Sub("queue");
  auto file = OpenOrDie(fs_, path);
  ASSERT_TRUE(file->Write(0, "abc").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Allocate(64).ok());
  EXPECT_EQ(*file->Size(), 64);
  EXPECT_EQ(OnDisk(path), std::string("abc") + std::string(61, '\0'));

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "abc");
  // Synced, the allocation survives; a shorter Allocate changes nothing.
  ASSERT_TRUE(file->Allocate(16).ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Allocate(8).ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), std::string("abc") + std::string(13, '\0'));
}

TEST_F(FaultInjectionFileSystemTest, FailAllocationsFailsWithoutAllocatingUntilCleared) {
  std::string path = dir_.Sub("queue");
  auto file = OpenOrDie(fs_, path);
  fs_.FailAllocations(Status::NoSpace("injected ENOSPC"));
  Status allocated = file->Allocate(4096);
  EXPECT_TRUE(allocated.IsNoSpace());
  EXPECT_EQ(allocated.message(), "injected ENOSPC");
  EXPECT_EQ(*file->Size(), 0);
  EXPECT_TRUE(file->Write(0, "writes still pass").ok());

  fs_.ClearFaults();
  ASSERT_TRUE(file->Allocate(4096).ok());
  EXPECT_EQ(*file->Size(), 4096);
}

TEST_F(FaultInjectionFileSystemTest, SyncedStoresIntoAMappingSurviveDrop) {
  std::string path = dir_.Sub("queue");
  auto file = OpenOrDie(fs_, path);
  ASSERT_TRUE(file->Allocate(8).ok());
  auto region = MapOrDie(*file, 8);
  ASSERT_NE(region, nullptr);
  Store(*region, 0, "abcdefgh");
  EXPECT_EQ(OnDisk(path), "abcdefgh");  // the page cache sees stores at once
  ASSERT_TRUE(file->Sync().ok());

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "abcdefgh");
  EXPECT_EQ(std::string(region->data(), 8), "abcdefgh");
}

TEST_F(FaultInjectionFileSystemTest, StoresIntoAMappingAfterTheLastSyncAreRolledBack) {
  std::string path = dir_.Sub("queue");
  auto file = OpenOrDie(fs_, path);
  ASSERT_TRUE(file->Allocate(16).ok());
  auto region = MapOrDie(*file, 16);
  ASSERT_NE(region, nullptr);
  Store(*region, 0, "01234567");
  ASSERT_TRUE(file->Sync().ok());
  Store(*region, 2, "XYZ");                 // overwrites synced bytes
  Store(*region, 8, "newbytes");            // over bytes synced as zeros
  ASSERT_TRUE(file->Write(14, "w!").ok());  // Writes of a mapped file are rolled back alike

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), std::string("01234567") + std::string(8, '\0'));
  EXPECT_EQ(std::string(region->data(), 8), "01234567");  // the mapping shows the file

  // The next Sync replaces the synced copy; stores after it are rolled back again.
  Store(*region, 0, "ABCDEFGH");
  ASSERT_TRUE(file->Sync().ok());
  Store(*region, 0, "lost");
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), std::string("ABCDEFGH") + std::string(8, '\0'));
}

TEST_F(FaultInjectionFileSystemTest, MappingAFileKeepsItsSyncedContentAndDropsEarlierWrites) {
  std::string path = dir_.Sub("queue");
  auto file = OpenOrDie(fs_, path);
  ASSERT_TRUE(file->Write(0, "synced!!").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Write(0, "UNSYNCED").ok());  // overwrite, recorded before the mapping
  ASSERT_TRUE(file->Write(8, "tail").ok());      // extension
  auto region = MapOrDie(*file, 12);
  ASSERT_NE(region, nullptr);
  EXPECT_EQ(std::string(region->data(), 12), "UNSYNCEDtail");
  region.reset();

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "synced!!");
  // A file created here, mapped and never synced still disappears.
  std::string fresh = dir_.Sub("fresh");
  auto created = OpenOrDie(fs_, fresh);
  ASSERT_TRUE(created->Allocate(4).ok());
  auto fresh_region = MapOrDie(*created, 4);
  ASSERT_NE(fresh_region, nullptr);
  Store(*fresh_region, 0, "gone");
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_FALSE(FileSystem::Default()->Exists(fresh));
}

TEST_F(FaultInjectionFileSystemTest, DropKeepsAFileAsLongAsALiveMappingReaches) {
  std::string path = dir_.Sub("queue");
  auto file = OpenOrDie(fs_, path);
  ASSERT_TRUE(file->Write(0, "abcd").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Allocate(4096).ok());
  auto region = MapOrDie(*file, 4096);
  ASSERT_NE(region, nullptr);
  Store(*region, 4000, "unsynced");

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), std::string("abcd") + std::string(4092, '\0'));
  Store(*region, 4000, "no SIGBUS");
  region.reset();
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(OnDisk(path), "abcd");
}

TEST_F(FaultInjectionFileSystemTest, StoreIntoAMappingAfterCrashIsUndoneByRevive) {
  std::string path = dir_.Sub("queue");
  auto file = OpenOrDie(fs_, path);
  ASSERT_TRUE(file->Write(0, "kept").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Allocate(4096).ok());
  auto region = MapOrDie(*file, 4096);
  ASSERT_NE(region, nullptr);
  Store(*region, 0, "lost");

  fs_.Crash();
  EXPECT_EQ(OnDisk(path).substr(0, 4), "kept");
  EXPECT_TRUE(IsSimulatedCrash(file->Map(4096).status()));
  EXPECT_TRUE(IsSimulatedCrash(file->Allocate(8192)));
  // A thread of the crashed store goes on storing: the region stays valid memory, even past the
  // synced size, and the stores reach the file.
  Store(*region, 0, "zomb");
  Store(*region, 4000, "zombie");
  EXPECT_EQ(OnDisk(path).substr(0, 4), "zomb");
  region.reset();  // the crashed store is destroyed

  fs_.Revive();
  EXPECT_EQ(OnDisk(path), "kept");
  auto reopened = OpenOrDie(fs_, path, false);
  ASSERT_TRUE(reopened->Allocate(8).ok());
  auto again = MapOrDie(*reopened, 8);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(std::string(again->data(), 8), std::string("kept") + std::string(4, '\0'));
}

TEST_F(FaultInjectionFileSystemTest, SyncRacingTheFirstMapCoversWhatWasWrittenBeforeIt) {
  // The Map lands before, during or after the Sync's snapshot; whichever, the Sync returned ok
  // and covers the Write made before it.
  for (int i = 0; i < 100; ++i) {
    std::string path = dir_.Sub("queue" + std::to_string(i));
    auto file = OpenOrDie(fs_, path);
    ASSERT_TRUE(file->Write(0, "synced").ok());
    ASSERT_TRUE(file->Sync().ok());
    ASSERT_TRUE(file->Write(6, "+covered").ok());
    Status synced;
    std::thread syncer([&] { synced = file->Sync(); });
    auto region = file->Map(14);
    syncer.join();
    ASSERT_TRUE(synced.ok()) << synced.ToString();
    ASSERT_TRUE(region.ok()) << region.status().ToString();
    Store(**region, 0, "lost!!");
    region->reset();

    ASSERT_TRUE(fs_.DropUnsyncedData().ok());
    EXPECT_EQ(OnDisk(path), "synced+covered") << "round " << i;
  }
}

TEST_F(FaultInjectionFileSystemTest, SyncRacingStoresIntoAMappingKeepsWhatItCovered) {
  constexpr size_t kSize = 64 * 1024;
  std::string path = dir_.Sub("queue");
  auto file = OpenOrDie(fs_, path);
  ASSERT_TRUE(file->Allocate(kSize).ok());
  ASSERT_TRUE(file->Sync().ok());
  auto region = MapOrDie(*file, kSize);
  ASSERT_NE(region, nullptr);
  std::atomic<bool> stop{false};
  std::atomic<size_t> stored{0};
  std::string content;  // the storer's until it is joined
  std::thread storer([&] {
    for (int i = 0; !stop; ++i) {
      std::string record = std::to_string(i) + ",";
      size_t at = stored.load();
      if (at + record.size() > kSize) break;
      std::memcpy(region->data() + at, record.data(), record.size());
      content += record;
      stored.store(at + record.size());
    }
  });
  size_t durable = 0;  // stored before the start of the last Sync that returned ok
  for (int i = 0; i < 50; ++i) {
    size_t before = stored.load();
    Status synced = file->Sync();
    EXPECT_TRUE(synced.ok()) << synced.ToString();
    if (!synced.ok()) break;
    durable = before;
  }
  stop = true;
  storer.join();
  region.reset();

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  std::string after = OnDisk(path);
  ASSERT_EQ(after.size(), kSize);
  EXPECT_EQ(after.substr(0, durable), content.substr(0, durable));
  for (size_t i = durable; i < kSize; ++i) {
    // Past what a Sync surely covered, each byte is the stored one or the synced zero.
    if (after[i] != '\0' && (i >= content.size() || after[i] != content[i])) {
      ADD_FAILURE() << "byte " << i << " was never stored there";
      break;
    }
  }
}

}  // namespace
}  // namespace holdfast::testing
