// Recovery after crashes: torn tails are cut, damage in the middle stops start-up, and lost page
// cache (simulated by the fault-injection file system) never loses an acknowledged message.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

#include "common/message_codec.h"
#include "store/message_store.h"
#include "tests/support/fault_file_system.h"
#include "tests/support/store_fixture.h"
#include "tests/support/temp_dir.h"

namespace holdfast::store {
namespace {

using holdfast::testing::BodyFor;
using holdfast::testing::FaultInjectionFileSystem;
using holdfast::testing::MakeMessage;
using holdfast::testing::SmallStoreConfig;
using holdfast::testing::TempDir;

const char* kFirstSegment = "commitlog/00000000000000000000";

// Bodies of every message in topic/queue, in queue order, checking each record decodes.
std::vector<std::string> QueueBodies(MessageStore& store, const std::string& topic, int queue) {
  EXPECT_TRUE(store.WaitForDispatch(std::chrono::seconds(10)));
  std::vector<std::string> bodies;
  int64_t offset = 0;
  while (true) {
    GetMessageResult r = store.GetMessage(topic, queue, offset, 64, 1 << 30);
    if (r.status != GetMessageStatus::kFound) break;
    for (size_t i = 0; i < r.messages.size(); ++i) {
      auto view = DecodeStoredRecord(r.messages[i], true);
      EXPECT_TRUE(view.ok()) << view.status().ToString();
      if (!view.ok()) continue;
      EXPECT_EQ(view->queue_offset, r.queue_offsets[i]);
      bodies.emplace_back(view->body);
    }
    offset = r.next_begin_offset;
  }
  return bodies;
}

void PatchFile(const std::string& path, int64_t offset, const std::string& bytes) {
  auto file = FileSystem::Default()->Open(path, false);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_TRUE((*file)->Write(offset, bytes).ok());
  ASSERT_TRUE((*file)->Sync().ok());
}

// Puts n messages under SYNC_FLUSH, then "loses power" (nothing is lost: all was synced), so the
// next open runs crash recovery. Returns the end offset of the log.
int64_t FillAndCrash(const std::string& dir, FaultInjectionFileSystem& fs, int n) {
  auto store = MessageStore::Open(SmallStoreConfig(dir), &fs);
  EXPECT_TRUE(store.ok());
  if (!store.ok()) return 0;
  for (int i = 0; i < n; ++i) EXPECT_TRUE((*store)->PutMessage(MakeMessage("R", 0, i)).ok());
  int64_t end = (*store)->GetMaxPhyOffset();
  fs.Crash();
  store->reset();
  fs.Revive();
  return end;
}

// Puts n messages to R/0 and closes the store cleanly, then puts the abort marker back, so the
// next open recovers as after a crash that came once everything was checkpointed. Returns the
// commit-log offset of message `victim` (0 on failure).
int64_t FillThenLeaveAbortMarker(const MessageStoreConfig& config, int n, int victim) {
  int64_t offset = 0;
  auto store = MessageStore::Open(config);
  EXPECT_TRUE(store.ok());
  if (!store.ok()) return 0;
  for (int i = 0; i < n; ++i) {
    auto r = (*store)->PutMessage(MakeMessage("R", 0, i));
    EXPECT_TRUE(r.ok());
    if (i == victim) offset = r.append.wrote_offset;
  }
  EXPECT_TRUE((*store)->Shutdown().ok());
  std::ofstream(config.store_path_root_dir + "/abort").put('\0');
  return offset;
}

enum class Tail { kGarbage, kZeros, kHalfRecord, kValidHeaderBadBody };

class TornTailTest : public ::testing::TestWithParam<Tail> {};

TEST_P(TornTailTest, TornTailIsTruncatedOnRecovery) {
  TempDir dir;
  FaultInjectionFileSystem fs;
  int64_t end = FillAndCrash(dir.path(), fs, 20);
  ASSERT_GT(end, 0);
  std::string tail;
  std::string record;
  MessageExt next = MakeMessage("R", 0, 20);
  next.commit_log_offset = end;
  next.queue_offset = 20;
  ASSERT_TRUE(EncodeStoredRecord(next, &record).ok());
  switch (GetParam()) {
    case Tail::kGarbage: {
      std::mt19937 rng(7);
      for (int i = 0; i < 3000; ++i) tail.push_back(static_cast<char>(rng()));
      break;
    }
    case Tail::kZeros:
      tail.assign(3000, '\0');
      break;
    case Tail::kHalfRecord:
      tail = record.substr(0, record.size() / 2);
      break;
    case Tail::kValidHeaderBadBody:
      tail = record;
      tail[100] ^= 0x55;
      break;
  }
  PatchFile(dir.Sub(kFirstSegment), end, tail);

  auto store = MessageStore::Open(SmallStoreConfig(dir.path()), &fs);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const RecoveryInfo& info = (*store)->recovery_info();
  EXPECT_TRUE(info.abnormal);
  EXPECT_EQ(info.max_offset, end);
  EXPECT_EQ(info.truncated, GetParam() != Tail::kZeros) << info.truncation_reason;
  auto bodies = QueueBodies(**store, "R", 0);
  ASSERT_EQ(bodies.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(bodies[i], BodyFor(i, 100));
  // Appends continue where the valid log ended, with the next queue offset.
  PutMessageResult r = (*store)->PutMessage(MakeMessage("R", 0, 20));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.append.wrote_offset, end);
  EXPECT_EQ(r.append.logics_offset, 20);
  // And the cut bytes never come back, even after another crash.
  fs.Crash();
  store->reset();
  fs.Revive();
  auto again = MessageStore::Open(SmallStoreConfig(dir.path()), &fs);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  auto bodies_again = QueueBodies(**again, "R", 0);
  ASSERT_EQ(bodies_again.size(), 21u);
  EXPECT_EQ(bodies_again.back(), BodyFor(20, 100));
}

INSTANTIATE_TEST_SUITE_P(Tails, TornTailTest,
                         ::testing::Values(Tail::kGarbage, Tail::kZeros, Tail::kHalfRecord,
                                           Tail::kValidHeaderBadBody));

TEST(RecoveryTest, CorruptionBelowTheFlushedOffsetStopsStartUpNamingFileAndOffset) {
  TempDir dir;
  auto config = SmallStoreConfig(dir.path());
  const int64_t victim = FillThenLeaveAbortMarker(config, 20, 5);
  ASSERT_GT(victim, 0);
  // Force validation from the start by rewinding the checkpoint's dispatch offsets: corrupt the
  // body of message 5, which is below the flushed offset.
  auto original = ReadWholeFile(FileSystem::Default(), dir.Sub(kFirstSegment));
  ASSERT_TRUE(original.ok());
  char flipped = static_cast<char>((*original)[static_cast<size_t>(victim) + 95] ^ 0x01);
  PatchFile(dir.Sub(kFirstSegment), victim + 95, std::string(1, flipped));
  {
    auto cp = StoreCheckpoint::Open(FileSystem::Default(), dir.Sub("checkpoint"));
    ASSERT_TRUE(cp.ok());
    (*cp)->logics_flushed_offset = 0;
    (*cp)->index_flushed_offset = 0;
    ASSERT_TRUE((*cp)->Flush().ok());
  }
  auto store = MessageStore::Open(config);
  ASSERT_FALSE(store.ok());
  const std::string msg = store.status().message();
  EXPECT_TRUE(store.status().IsCorruption()) << msg;
  EXPECT_NE(msg.find("00000000000000000000"), std::string::npos) << msg;
  EXPECT_NE(msg.find(std::to_string(victim)), std::string::npos) << msg;
  // Nothing was cut: restoring the byte brings every message back.
  PatchFile(dir.Sub(kFirstSegment), victim + 95,
            std::string(1, (*original)[static_cast<size_t>(victim) + 95]));
  auto healed = MessageStore::Open(config);
  ASSERT_TRUE(healed.ok()) << healed.status().ToString();
  EXPECT_EQ(QueueBodies(**healed, "R", 0).size(), 20u);
}

TEST(RecoveryTest, DamageFollowedByAValidRecordIsReportedEvenWithoutCheckpoint) {
  TempDir dir;
  auto config = SmallStoreConfig(dir.path());
  const int64_t victim = FillThenLeaveAbortMarker(config, 20, 12);
  ASSERT_GT(victim, 0);
  ASSERT_TRUE(FileSystem::Default()->Remove(dir.Sub("checkpoint")).ok());
  PatchFile(dir.Sub(kFirstSegment), victim + 100, "XYZ");
  auto store = MessageStore::Open(config);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("valid record follows"), std::string::npos)
      << store.status().ToString();
}

// Damage followed by a valid record, found by recovery; then the read that should tell whether
// a valid record follows fails (the read of the damaged record's header, or of the record after
// it): that decides nothing, so start-up fails with the I/O error and nothing is cut.
class RecoveryReadFailureTest : public ::testing::TestWithParam<int> {};

TEST_P(RecoveryReadFailureTest, AFailedReadWhileJudgingDamageCutsNothing) {
  TempDir dir;
  auto config = SmallStoreConfig(dir.path());
  const int64_t victim = FillThenLeaveAbortMarker(config, 20, 12);
  ASSERT_GT(victim, 0);
  ASSERT_TRUE(FileSystem::Default()->Remove(dir.Sub("checkpoint")).ok());
  auto original = ReadWholeFile(FileSystem::Default(), dir.Sub(kFirstSegment));
  ASSERT_TRUE(original.ok());
  PatchFile(dir.Sub(kFirstSegment), victim + 100, "XYZ");
  FaultInjectionFileSystem fs;
  // The recovery scan reads the segment once; GetParam() more reads pass, then reads fail.
  fs.FailReads(Status::IoError("injected EIO on pread"), "/commitlog/", 1 + GetParam());
  auto store = MessageStore::Open(config, &fs);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("injected EIO on pread"), std::string::npos)
      << store.status().ToString();
  ASSERT_GT(fs.injected_read_failures(), 0);
  fs.ClearFaults();
  PatchFile(dir.Sub(kFirstSegment), victim + 100,
            original->substr(static_cast<size_t>(victim) + 100, 3));
  auto healed = MessageStore::Open(config, &fs);
  ASSERT_TRUE(healed.ok()) << healed.status().ToString();
  EXPECT_EQ(QueueBodies(**healed, "R", 0).size(), 20u);
}

INSTANTIATE_TEST_SUITE_P(HeaderOrNextRecord, RecoveryReadFailureTest, ::testing::Values(0, 1));

TEST(RecoveryTest, LostPageCacheUnderSyncFlushLosesNothingAcknowledged) {
  for (int round = 0; round < 5; ++round) {
    TempDir dir;
    FaultInjectionFileSystem fs;
    auto config = SmallStoreConfig(dir.path());
    std::mutex mu;
    std::vector<std::pair<int64_t, std::string>> acked;  // commit-log offset, body
    {
      auto store = MessageStore::Open(config, &fs);
      ASSERT_TRUE(store.ok());
      std::atomic<int> puts{0};
      std::atomic<bool> crashed{false};
      const int crash_after = 50 + round * 37;
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
          for (int i = 0; !crashed.load(); ++i) {
            int64_t seq = t * 100000 + i;
            auto msg = MakeMessage("L", t, seq, 200 + (seq % 900));
            PutMessageResult r = (*store)->PutMessage(msg);
            if (r.ok()) {
              std::lock_guard lock(mu);
              acked.emplace_back(r.append.wrote_offset, msg.body);
            }
            if (puts.fetch_add(1) + 1 == crash_after) {
              fs.Crash();
              crashed.store(true);
            }
          }
        });
      }
      for (auto& th : threads) th.join();
      store->reset();
      fs.Revive();
    }
    auto store = MessageStore::Open(config, &fs);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_TRUE((*store)->recovery_info().abnormal);
    ASSERT_FALSE(acked.empty());
    for (const auto& [offset, body] : acked) {
      auto msg = (*store)->LookMessageByOffset(offset);
      ASSERT_TRUE(msg.ok()) << "acknowledged message at " << offset << " lost in round " << round
                            << ": " << msg.status().ToString();
      EXPECT_EQ(msg->body, body);
    }
    for (int q = 0; q < 4; ++q) QueueBodies(**store, "L", q);  // every entry decodes
  }
}

TEST(RecoveryTest, LostPageCacheUnderAsyncFlushLosesAtMostTheUnflushedTail) {
  TempDir dir;
  FaultInjectionFileSystem fs;
  auto config = SmallStoreConfig(dir.path(), FlushDiskType::kAsyncFlush);
  config.flush_interval_commit_log = 60000;  // only the explicit Flush below makes data durable
  config.flush_commit_log_thorough_interval = 600000;
  const int flushed = 40;
  const int total = 70;
  {
    auto store = MessageStore::Open(config, &fs);
    ASSERT_TRUE(store.ok());
    for (int i = 0; i < total; ++i) {
      ASSERT_TRUE((*store)->PutMessage(MakeMessage("A", 0, i, 500)).ok());
      if (i + 1 == flushed) {
        ASSERT_TRUE((*store)->Flush().ok());
      }
    }
    fs.Crash();
    store->reset();
    fs.Revive();
  }
  auto store = MessageStore::Open(config, &fs);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto bodies = QueueBodies(**store, "A", 0);
  ASSERT_GE(bodies.size(), static_cast<size_t>(flushed));
  ASSERT_LE(bodies.size(), static_cast<size_t>(total));
  for (size_t i = 0; i < bodies.size(); ++i)
    EXPECT_EQ(bodies[i], BodyFor(static_cast<int64_t>(i), 500));
  // The store goes on cleanly from there.
  PutMessageResult r = (*store)->PutMessage(MakeMessage("A", 0, 1000, 500));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.append.logics_offset, static_cast<int64_t>(bodies.size()));
}

}  // namespace
}  // namespace holdfast::store
