#include "store/message_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>

#include "common/byte_order.h"
#include "common/java_hash.h"
#include "common/message_codec.h"
#include "store/allocate_mapped_file_service.h"
#include "store/commit_log_reader.h"
#include "store/file_system.h"
#include "store/mapped_file.h"
#include "store/store_checkpoint.h"
#include "tests/support/fault_file_system.h"
#include "tests/support/recording_file_system.h"
#include "tests/support/store_fixture.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_until.h"

namespace holdfast::store {
namespace {

using holdfast::testing::BodyFor;
using holdfast::testing::FaultInjectionFileSystem;
using holdfast::testing::MakeMessage;
using holdfast::testing::SmallStoreConfig;
using holdfast::testing::TempDir;

std::unique_ptr<MessageStore> OpenOrDie(const MessageStoreConfig& config,
                                        FileSystem* fs = FileSystem::Default()) {
  auto store = MessageStore::Open(config, fs);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

// Reads every message of a queue from offset 0, decoding each record.
std::vector<MessageExt> ReadQueue(MessageStore& store, const std::string& topic, int32_t queue_id) {
  std::vector<MessageExt> out;
  int64_t offset = 0;
  while (true) {
    GetMessageResult r = store.GetMessage(topic, queue_id, offset, 32);
    if (r.status != GetMessageStatus::kFound) break;
    for (const std::string& record : r.messages) {
      auto view = DecodeStoredRecord(record, true);
      EXPECT_TRUE(view.ok()) << view.status().ToString();
      if (view.ok()) out.push_back(view->ToMessageExt());
    }
    offset = r.next_begin_offset;
  }
  return out;
}

// The checkpoint the disk holds now, read past any fault layer; null while it is torn.
std::unique_ptr<StoreCheckpoint> CheckpointOnDisk(const std::string& dir) {
  auto cp = StoreCheckpoint::Open(FileSystem::Default(), dir + "/checkpoint");
  if (!cp.ok() || !(*cp)->valid()) return nullptr;
  return std::move(cp).value();
}

// Waits until the checkpoint on disk satisfies pred.
bool WaitForCheckpoint(const std::string& dir,
                       const std::function<bool(const StoreCheckpoint&)>& pred) {
  return holdfast::testing::WaitUntil(
      [&] {
        auto cp = CheckpointOnDisk(dir);
        return cp && pred(*cp);
      },
      std::chrono::seconds(10));
}

// Stores message 0 of topic "L" queue 0 and waits until a flush round synced its consume-queue
// entry; then makes every consume-queue sync fail, stores messages 1 and 2, waits until a sync of
// their entries failed, and has the "kernel" drop the pages it could not write (as Linux may after
// a failed writeback): the store lives on, but its queue file holds only entry 0. Returns the end
// of message 0 in the commit log.
int64_t LoseConsumeQueueEntriesAfterAFailedSync(MessageStore& store, FaultInjectionFileSystem& fs,
                                                const std::string& dir) {
  EXPECT_TRUE(store.PutMessage(MakeMessage("L", 0, 0)).ok());
  const int64_t first_end = store.GetMaxPhyOffset();
  EXPECT_TRUE(WaitForCheckpoint(
      dir, [&](const StoreCheckpoint& cp) { return cp.logics_flushed_offset >= first_end; }));
  fs.FailSyncs(Status::IoError("injected EIO on a consume-queue sync"), "/consumequeue/");
  for (int i = 1; i <= 2; ++i) EXPECT_TRUE(store.PutMessage(MakeMessage("L", 0, i)).ok());
  EXPECT_TRUE(store.WaitForDispatch(std::chrono::seconds(10)));
  EXPECT_TRUE(holdfast::testing::WaitUntil([&] { return fs.injected_sync_failures() > 0; },
                                           std::chrono::seconds(10)));
  EXPECT_TRUE(fs.DropUnsyncedData().ok());
  return first_end;
}

class MessageStoreFlushTest : public ::testing::TestWithParam<FlushDiskType> {};

TEST_P(MessageStoreFlushTest, PutThenGetReturnsExactBytesInOrder) {
  TempDir dir;
  auto store = OpenOrDie(SmallStoreConfig(dir.path(), GetParam()));
  ASSERT_TRUE(store);
  for (int i = 0; i < 50; ++i) {
    PutMessageResult r = store->PutMessage(MakeMessage("TopicA", i % 2, i));
    ASSERT_EQ(r.status, PutMessageStatus::kPutOk) << r.error;
    EXPECT_EQ(r.append.logics_offset, i / 2);
  }
  ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(10)));
  EXPECT_EQ(store->GetMaxOffsetInQueue("TopicA", 0), 25);
  EXPECT_EQ(store->GetMaxOffsetInQueue("TopicA", 1), 25);
  auto q0 = ReadQueue(*store, "TopicA", 0);
  ASSERT_EQ(q0.size(), 25u);
  for (size_t k = 0; k < q0.size(); ++k) {
    EXPECT_EQ(q0[k].body, BodyFor(static_cast<int64_t>(2 * k), 100));
    EXPECT_EQ(q0[k].queue_offset, static_cast<int64_t>(k));
    EXPECT_EQ(q0[k].topic, "TopicA");
  }
}

INSTANTIATE_TEST_SUITE_P(BothModes, MessageStoreFlushTest,
                         ::testing::Values(FlushDiskType::kSyncFlush, FlushDiskType::kAsyncFlush),
                         [](const auto& info) {
                           return info.param == FlushDiskType::kSyncFlush ? "Sync" : "Async";
                         });

TEST(MessageStoreTest, SegmentRollOverWritesBlankMarkerAndKeepsReading) {
  TempDir dir;
  auto config = SmallStoreConfig(dir.path());
  auto store = OpenOrDie(config);
  ASSERT_TRUE(store);
  const int n = 200;  // ~1.2 KiB each: several 64 KiB segments
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(store->PutMessage(MakeMessage("Roll", 0, i, 1000)).ok());
  }
  ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(10)));
  auto all = ReadQueue(*store, "Roll", 0);
  ASSERT_EQ(all.size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) EXPECT_EQ(all[i].body, BodyFor(i, 1000));
  // The first segment ends with a blank marker right after its last record.
  const MessageExt& last_in_first = [&]() -> const MessageExt& {
    for (size_t i = 1; i < all.size(); ++i) {
      if (all[i].commit_log_offset >= config.mapped_file_size_commit_log) return all[i - 1];
    }
    return all.back();
  }();
  int64_t blank_at = last_in_first.commit_log_offset + last_in_first.store_size;
  ASSERT_LT(blank_at, config.mapped_file_size_commit_log);
  EXPECT_GE(config.mapped_file_size_commit_log - blank_at, kEndFileMinBlankLength);
  store.reset();
  auto file = FileSystem::Default()->Open(dir.Sub("commitlog/00000000000000000000"), false);
  ASSERT_TRUE(file.ok());
  char blank[8];
  ASSERT_EQ(*(*file)->Read(blank_at, 8, blank), 8u);
  EXPECT_EQ(GetInt32(blank), config.mapped_file_size_commit_log - blank_at);
  EXPECT_EQ(GetInt32(blank + 4), kBlankMagicCode);
  EXPECT_TRUE(FileSystem::Default()->Exists(dir.Sub("commitlog/00000000000000065536")));
}

TEST(MessageStoreTest, CleanShutdownThenReopenKeepsMessagesAndQueueOffsets) {
  TempDir dir;
  auto config = SmallStoreConfig(dir.path());
  {
    auto store = OpenOrDie(config);
    ASSERT_TRUE(store);
    for (int i = 0; i < 120; ++i) ASSERT_TRUE(store->PutMessage(MakeMessage("T", 3, i, 700)).ok());
    ASSERT_TRUE(store->Shutdown().ok());
    EXPECT_FALSE(FileSystem::Default()->Exists(dir.Sub("abort")));
  }
  auto store = OpenOrDie(config);
  ASSERT_TRUE(store);
  EXPECT_FALSE(store->recovery_info().abnormal);
  EXPECT_TRUE(store->recovery_info().checkpoint_valid);
  EXPECT_EQ(store->recovery_info().scanned_bytes, 0);
  EXPECT_EQ(store->GetMaxOffsetInQueue("T", 3), 120);
  PutMessageResult r = store->PutMessage(MakeMessage("T", 3, 120, 700));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.append.logics_offset, 120);
  ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(10)));
  auto all = ReadQueue(*store, "T", 3);
  ASSERT_EQ(all.size(), 121u);
  for (int i = 0; i <= 120; ++i) EXPECT_EQ(all[i].body, BodyFor(i, 700));
}

TEST(MessageStoreTest, BadInputIsRejectedWithAClearReasonAndStoreKeepsWorking) {
  TempDir dir;
  auto config = SmallStoreConfig(dir.path());
  auto store = OpenOrDie(config);
  ASSERT_TRUE(store);
  auto oversize = MakeMessage("T", 0, 1, static_cast<size_t>(config.max_message_size) + 1);
  PutMessageResult r = store->PutMessage(oversize);
  EXPECT_EQ(r.status, PutMessageStatus::kMessageIllegal);
  EXPECT_NE(r.error.find("maxMessageSize"), std::string::npos) << r.error;

  r = store->PutMessage(MakeMessage("bad topic!", 0, 1));
  EXPECT_EQ(r.status, PutMessageStatus::kMessageIllegal);
  EXPECT_NE(r.error.find("bad topic!"), std::string::npos) << r.error;

  r = store->PutMessage(MakeMessage(std::string(128, 'x'), 0, 1));
  EXPECT_EQ(r.status, PutMessageStatus::kMessageIllegal);

  auto big_props = MakeMessage("T", 0, 1);
  big_props.properties = EncodeProperties({{"P", std::string(40000, 'p')}});
  EXPECT_EQ(store->PutMessage(big_props).status, PutMessageStatus::kPropertiesSizeExceeded);

  EXPECT_TRUE(store->PutMessage(MakeMessage("T", 0, 2)).ok());
  ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(10)));
  EXPECT_EQ(store->GetMaxOffsetInQueue("T", 0), 1);
}

TEST(MessageStoreTest, ConfigErrorsNameTheSetting) {
  TempDir dir;
  auto config = SmallStoreConfig(dir.path());
  config.mapped_file_size_consume_queue = 1001;
  auto store = MessageStore::Open(config);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("mappedFileSizeConsumeQueue"), std::string::npos);
}

TEST(MessageStoreTest, GetMessageStatusesFollowRocketMq) {
  TempDir dir;
  auto store = OpenOrDie(SmallStoreConfig(dir.path()));
  ASSERT_TRUE(store);
  EXPECT_EQ(store->GetMessage("None", 0, 0, 32).status, GetMessageStatus::kNoMatchedLogicQueue);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store->PutMessage(MakeMessage("S", 0, i)).ok());
  ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(10)));
  EXPECT_EQ(store->GetMessage("S", 0, 5, 32).status, GetMessageStatus::kOffsetOverflowOne);
  GetMessageResult bad = store->GetMessage("S", 0, 9, 32);
  EXPECT_EQ(bad.status, GetMessageStatus::kOffsetOverflowBadly);
  EXPECT_EQ(bad.next_begin_offset, 5);
  GetMessageResult some = store->GetMessage("S", 0, 1, 2);
  EXPECT_EQ(some.status, GetMessageStatus::kFound);
  EXPECT_EQ(some.messages.size(), 2u);
  EXPECT_EQ(some.next_begin_offset, 3);
  // Tag filter: odd sequence numbers carry TagB.
  GetMessageResult tagged = store->GetMessage("S", 0, 0, 32, 1 << 20, {JavaStringHashCode("TagB")});
  ASSERT_EQ(tagged.status, GetMessageStatus::kFound);
  EXPECT_EQ(tagged.queue_offsets, (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(tagged.next_begin_offset, 5);
  GetMessageResult none = store->GetMessage("S", 0, 0, 32, 1 << 20, {JavaStringHashCode("TagC")});
  EXPECT_EQ(none.status, GetMessageStatus::kNoMatchedMessage);
  EXPECT_EQ(none.next_begin_offset, 5);
}

TEST(MessageStoreTest, LookupByKeyUniqKeyOffsetAndTime) {
  TempDir dir;
  auto config = SmallStoreConfig(dir.path());
  std::vector<int64_t> offsets;
  {
    auto store = OpenOrDie(config);
    ASSERT_TRUE(store);
    for (int i = 0; i < 30; ++i) {
      auto r = store->PutMessage(MakeMessage("Q", 0, i));
      ASSERT_TRUE(r.ok());
      offsets.push_back(r.append.wrote_offset);
    }
    ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(10)));
    auto by_key = store->QueryMessage("Q", "key-17", 10);
    ASSERT_EQ(by_key.size(), 1u);
    EXPECT_EQ(by_key[0].body, BodyFor(17, 100));
    auto by_uniq = store->QueryMessage("Q", "UNIQ0000000000000005", 10);
    ASSERT_EQ(by_uniq.size(), 1u);
    EXPECT_EQ(by_uniq[0].commit_log_offset, offsets[5]);
    EXPECT_TRUE(store->QueryMessage("Q", "key-99", 10).empty());
    EXPECT_TRUE(store->QueryMessage("Other", "key-17", 10).empty());
    auto msg = store->LookMessageByOffset(offsets[9]);
    ASSERT_TRUE(msg.ok());
    EXPECT_EQ(msg->body, BodyFor(9, 100));
    EXPECT_FALSE(store->LookMessageByOffset(offsets[9] + 1).ok());
    EXPECT_EQ(store->GetOffsetInQueueByTime("Q", 0, 0), 0);
    EXPECT_EQ(store->GetOffsetInQueueByTime("Q", 0, msg->store_timestamp + 3600000), 30);
    int64_t at = store->GetOffsetInQueueByTime("Q", 0, msg->store_timestamp);
    EXPECT_LE(at, 9);
    EXPECT_EQ(store->GetCommitLogOffsetInQueue("Q", 0, 9), offsets[9]);
  }
  auto store = OpenOrDie(config);
  ASSERT_TRUE(store);
  auto again = store->QueryMessage("Q", "key-29", 10);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].commit_log_offset, offsets[29]);
}

TEST(MessageStoreTest, StoredRecordAndIndexPositionMatchWhatWasAppended) {
  TempDir dir;
  auto store = OpenOrDie(SmallStoreConfig(dir.path()));
  ASSERT_TRUE(store);
  EXPECT_EQ(store->GetIndexPosition().last_update_phy_offset, 0);
  auto first = store->PutMessage(MakeMessage("R", 0, 0));
  auto second = store->PutMessage(MakeMessage("R", 0, 1));
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(10)));
  auto record = store->LookStoredRecordByOffset(second.append.wrote_offset);
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_EQ(static_cast<int64_t>(record->size()), second.append.wrote_bytes);
  auto view = DecodeStoredRecord(*record, true);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->body, BodyFor(1, 100));
  EXPECT_FALSE(store->LookStoredRecordByOffset(second.append.wrote_offset + 1).ok());
  EXPECT_FALSE(store->LookStoredRecordByOffset(store->GetMaxPhyOffset()).ok());
  MessageStore::IndexPosition position = store->GetIndexPosition();
  EXPECT_EQ(position.last_update_phy_offset, second.append.wrote_offset);
  EXPECT_EQ(position.last_update_timestamp, view->store_timestamp);
}

TEST(MessageStoreTest, DeleteTopicsRemovesQueueFilesAndRestartsQueueOffsets) {
  TempDir dir;
  auto config = SmallStoreConfig(dir.path());
  {
    auto store = OpenOrDie(config);
    ASSERT_TRUE(store);
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(store->PutMessage(MakeMessage("Gone", i % 2, i)).ok());
      ASSERT_TRUE(store->PutMessage(MakeMessage("Kept", 0, i)).ok());
    }
    ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(10)));
    ASSERT_TRUE(store->Flush().ok());
    ASSERT_TRUE(FileSystem::Default()->Exists(dir.Sub("consumequeue/Gone/1")));

    ASSERT_TRUE(store->DeleteTopics({"Gone", "NeverExisted"}).ok());
    EXPECT_FALSE(FileSystem::Default()->Exists(dir.Sub("consumequeue/Gone")));
    EXPECT_EQ(store->GetMaxOffsetInQueue("Gone", 0), 0);
    EXPECT_EQ(store->GetMessage("Gone", 0, 0, 32).status, GetMessageStatus::kNoMatchedLogicQueue);
    EXPECT_EQ(store->GetMaxOffsetInQueue("Kept", 0), 5);

    // Created again, the topic starts from queue offset 0.
    PutMessageResult again = store->PutMessage(MakeMessage("Gone", 0, 100));
    ASSERT_TRUE(again.ok()) << again.error;
    EXPECT_EQ(again.append.logics_offset, 0);
    ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(10)));
    auto read = ReadQueue(*store, "Gone", 0);
    ASSERT_EQ(read.size(), 1u);
    EXPECT_EQ(read[0].body, BodyFor(100, 100));
  }
  auto store = OpenOrDie(config);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->GetMaxOffsetInQueue("Gone", 0), 1);
  EXPECT_EQ(store->GetMaxOffsetInQueue("Gone", 1), 0);
  EXPECT_EQ(store->GetMaxOffsetInQueue("Kept", 0), 5);
}

TEST(MessageStoreTest, BatchIsStoredAsConsecutiveRecordsWithConsecutiveQueueOffsets) {
  TempDir dir;
  auto store = OpenOrDie(SmallStoreConfig(dir.path()));
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->PutMessage(MakeMessage("B", 0, 0)).ok());
  std::vector<MessageExt> batch;
  for (int i = 1; i <= 4; ++i) batch.push_back(MakeMessage("B", 0, i));
  PutMessageResult r = store->PutMessages(batch);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.append.msg_num, 4);
  EXPECT_EQ(r.append.logics_offset, 1);
  ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(10)));
  auto all = ReadQueue(*store, "B", 0);
  ASSERT_EQ(all.size(), 5u);
  for (int i = 1; i < 5; ++i) {
    EXPECT_EQ(all[i].commit_log_offset, all[i - 1].commit_log_offset + all[i - 1].store_size);
  }
}

TEST(MessageStoreTest, ConcurrentSyncAppendersShareFdatasyncs) {
  TempDir dir;
  FaultInjectionFileSystem fs;
  // A slow disk makes appenders pile up behind each sync, as on a busy machine.
  fs.SetSyncDelay(std::chrono::milliseconds(2));
  auto store = OpenOrDie(SmallStoreConfig(dir.path()), &fs);
  ASSERT_TRUE(store);
  int64_t syncs_before = fs.sync_count();
  const int threads = 8, per_thread = 40;
  std::vector<std::thread> workers;
  std::atomic<int> ok{0};
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        if (store->PutMessage(MakeMessage("G", t, i)).ok()) ok.fetch_add(1);
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(ok.load(), threads * per_thread);
  int64_t syncs = fs.sync_count() - syncs_before;
  EXPECT_LT(syncs, threads * per_thread / 2) << "group commit should share syncs";
}

TEST(MessageStoreTest, SlowSyncGivesFlushDiskTimeoutNeverPutOk) {
  TempDir dir;
  FaultInjectionFileSystem fs;
  auto config = SmallStoreConfig(dir.path());
  config.sync_flush_timeout = 50;
  auto store = OpenOrDie(config, &fs);
  ASSERT_TRUE(store);
  fs.SetSyncDelay(std::chrono::milliseconds(200));
  PutMessageResult r = store->PutMessage(MakeMessage("T", 0, 1));
  EXPECT_EQ(r.status, PutMessageStatus::kFlushDiskTimeout) << r.error;
  EXPECT_TRUE(IsStored(r.status));
  fs.SetSyncDelay(std::chrono::milliseconds(0));
  EXPECT_EQ(store->PutMessage(MakeMessage("T", 0, 2)).status, PutMessageStatus::kPutOk);
}

TEST(MessageStoreTest, FailedSyncIsStickyUntilReopen) {
  TempDir dir;
  FaultInjectionFileSystem fs;
  auto config = SmallStoreConfig(dir.path());
  {
    auto store = OpenOrDie(config, &fs);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->PutMessage(MakeMessage("T", 0, 0)).ok());
    fs.FailSyncs(Status::IoError("injected EIO on fdatasync"));
    PutMessageResult r = store->PutMessage(MakeMessage("T", 0, 1));
    // A failed sync is an error with its cause, never FLUSH_DISK_TIMEOUT (which clients count as
    // stored).
    EXPECT_EQ(r.status, PutMessageStatus::kFlushDiskFailed);
    EXPECT_FALSE(IsStored(r.status));
    EXPECT_NE(r.error.find("injected EIO"), std::string::npos) << r.error;
    EXPECT_NE(store->StickyError().message().find("injected EIO"), std::string::npos);
    fs.ClearFaults();
    r = store->PutMessage(MakeMessage("T", 0, 2));
    EXPECT_EQ(r.status, PutMessageStatus::kServiceNotAvailable);
    EXPECT_NE(r.error.find("failed sync"), std::string::npos) << r.error;
  }
  auto store = OpenOrDie(config, &fs);
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->PutMessage(MakeMessage("T", 0, 3)).ok());
  ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(10)));
  auto all = ReadQueue(*store, "T", 0);
  ASSERT_GE(all.size(), 2u);
  EXPECT_EQ(all.front().body, BodyFor(0, 100));
  EXPECT_EQ(all.back().body, BodyFor(3, 100));
}

TEST(MessageStoreTest, FailedCommitLogReadIsAReadErrorThatKeepsTheOffset) {
  TempDir dir;
  FaultInjectionFileSystem fs;
  auto store = OpenOrDie(SmallStoreConfig(dir.path()), &fs);  // SYNC_FLUSH: the log is pread
  ASSERT_TRUE(store);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store->PutMessage(MakeMessage("R", 0, i)).ok());
  ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(10)));
  fs.FailReads(Status::IoError("injected EIO on pread"), "/commitlog/");
  GetMessageResult r = store->GetMessage("R", 0, 1, 32);
  EXPECT_EQ(r.status, GetMessageStatus::kReadError);
  EXPECT_EQ(GetMessageStatusName(r.status), "READ_ERROR");
  EXPECT_EQ(r.next_begin_offset, 1);
  EXPECT_TRUE(r.messages.empty());
  EXPECT_NE(r.error.message().find("R-0@1 at commit-log offset"), std::string::npos)
      << r.error.ToString();
  EXPECT_NE(r.error.message().find("injected EIO on pread"), std::string::npos)
      << r.error.ToString();

  fs.ClearFaults();
  r = store->GetMessage("R", 0, 1, 32);
  ASSERT_EQ(r.status, GetMessageStatus::kFound);
  EXPECT_EQ(r.queue_offsets, (std::vector<int64_t>{1, 2}));
}

TEST(MessageStoreTest, ConsumeQueueEntriesLostUnderTheLiveStoreAreAReadErrorNotASkip) {
  TempDir dir;
  FaultInjectionFileSystem fs;
  auto store = OpenOrDie(SmallStoreConfig(dir.path()), &fs);
  ASSERT_TRUE(store);
  LoseConsumeQueueEntriesAfterAFailedSync(*store, fs, dir.path());

  GetMessageResult r = store->GetMessage("L", 0, 1, 32);
  EXPECT_EQ(r.status, GetMessageStatus::kReadError);
  EXPECT_EQ(r.next_begin_offset, 1);
  EXPECT_TRUE(r.messages.empty());
  EXPECT_NE(r.error.message().find("consumequeue/L/0/"), std::string::npos) << r.error.ToString();
  // What can be read is returned, and the answer stops before the lost entry.
  r = store->GetMessage("L", 0, 0, 32);
  ASSERT_EQ(r.status, GetMessageStatus::kFound);
  EXPECT_EQ(r.queue_offsets, (std::vector<int64_t>{0}));
  EXPECT_EQ(r.next_begin_offset, 1);
}

TEST(MessageStoreTest, FailedConsumeQueueSyncIsStickyAndKeepsTheCheckpointBehindIt) {
  TempDir dir;
  FaultInjectionFileSystem fs;
  auto config = SmallStoreConfig(dir.path());
  auto store = OpenOrDie(config, &fs);
  ASSERT_TRUE(store);
  const int64_t first_end = LoseConsumeQueueEntriesAfterAFailedSync(*store, fs, dir.path());
  EXPECT_NE(store->StickyError().message().find("injected EIO on a consume-queue sync"),
            std::string::npos)
      << store->StickyError().ToString();

  // The disk works again, and the next syncs succeed; they must not count the lost entries.
  fs.ClearFaults();
  int64_t logics = -1;
  for (int i = 3; i <= 4; ++i) {
    // Two rounds: once the second one wrote its checkpoint, the first one's is synced.
    ASSERT_TRUE(store->PutMessage(MakeMessage("L", 0, i)).ok());
    const int64_t end = store->GetMaxPhyOffset();
    ASSERT_TRUE(WaitForCheckpoint(dir.path(), [&](const StoreCheckpoint& cp) {
      logics = cp.logics_flushed_offset;
      return cp.physic_flushed_offset >= end;
    }));
  }
  EXPECT_LE(logics, first_end);
  EXPECT_FALSE(store->StickyError().ok());

  // Power loss: recovery starts where the queue was last known durable and rebuilds the rest.
  fs.Crash();
  store.reset();
  fs.Revive();
  store = OpenOrDie(config, &fs);
  ASSERT_TRUE(store);
  EXPECT_TRUE(store->StickyError().ok());
  auto all = ReadQueue(*store, "L", 0);
  ASSERT_EQ(all.size(), 5u);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].body, BodyFor(i, 100));
}

TEST(MessageStoreTest, AnUnreadableTopicDirectoryFailsOpenInsteadOfHidingItsQueues) {
  TempDir dir;
  auto config = SmallStoreConfig(dir.path());
  {
    auto store = OpenOrDie(config);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->PutMessage(MakeMessage("Hidden", 0, 0)).ok());
  }
  std::ofstream(dir.Sub("consumequeue/stray-file")).put('x');  // not a topic: ignored
  FaultInjectionFileSystem fs;
  fs.FailReads(Status::IoError("injected EIO on readdir"), "/consumequeue/Hidden");
  auto failed = MessageStore::Open(config, &fs);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("injected EIO on readdir"), std::string::npos)
      << failed.status().ToString();
  fs.ClearFaults();
  auto store = OpenOrDie(config, &fs);
  ASSERT_TRUE(store);
  EXPECT_EQ(ReadQueue(*store, "Hidden", 0).size(), 1u);
}

TEST(MessageStoreTest, DiskFullFailsTheAppendAndKeepsTheStoreReadable) {
  TempDir dir;
  FaultInjectionFileSystem fs;
  auto config = SmallStoreConfig(dir.path());
  config.warm_mapped_file_enable = false;  // every append writes to the file at once
  auto store = OpenOrDie(config, &fs);
  ASSERT_TRUE(store);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(store->PutMessage(MakeMessage("D", 0, i)).ok());
  ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(10)));
  fs.FailWritesAfter(50, Status::NoSpace("injected ENOSPC"));
  PutMessageResult r = store->PutMessage(MakeMessage("D", 0, 10));
  EXPECT_FALSE(IsStored(r.status));
  EXPECT_NE(r.error.find("ENOSPC"), std::string::npos) << r.error;
  auto all = ReadQueue(*store, "D", 0);
  ASSERT_EQ(all.size(), 10u);
  fs.ClearFaults();
  r = store->PutMessage(MakeMessage("D", 0, 11));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.append.logics_offset, 10);
  store.reset();
  auto reopened = OpenOrDie(config, &fs);
  ASSERT_TRUE(reopened);
  auto after = ReadQueue(*reopened, "D", 0);
  ASSERT_EQ(after.size(), 11u);
  EXPECT_EQ(after.back().body, BodyFor(11, 100));
}

}  // namespace
}  // namespace holdfast::store

namespace holdfast::store {
namespace {

TEST(MessageStoreTest, ReopeningWithPreparedSegmentsKeepsRollingOver) {
  holdfast::testing::TempDir dir;
  auto config = holdfast::testing::SmallStoreConfig(dir.path());
  int64_t seq = 0;
  for (int cycle = 0; cycle < 4; ++cycle) {
    auto store = MessageStore::Open(config);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (int i = 0; i < 100; ++i, ++seq) {
      PutMessageResult r = (*store)->PutMessage(holdfast::testing::MakeMessage("P", 0, seq, 1000));
      ASSERT_TRUE(r.ok()) << "cycle " << cycle << " message " << seq << ": " << r.error;
      ASSERT_EQ(r.append.logics_offset, seq);
    }
    ASSERT_TRUE((*store)->Shutdown().ok());
  }
  auto store = MessageStore::Open(config);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->GetMaxOffsetInQueue("P", 0), seq);
  auto last = (*store)->LookMessageByOffset((*store)->GetCommitLogOffsetInQueue("P", 0, seq - 1));
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->body, holdfast::testing::BodyFor(seq - 1, 1000));
}

}  // namespace
}  // namespace holdfast::store

namespace holdfast::store {
namespace {

// Counts completions and lets the test wait for a number of them.
class CompletionLatch {
 public:
  void Done(PutMessageResult r) {
    std::lock_guard lock(mu_);
    results_.push_back(std::move(r));
    cv_.notify_all();
  }
  bool WaitFor(size_t n, std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return results_.size() >= n; });
  }
  std::vector<PutMessageResult> results() {
    std::lock_guard lock(mu_);
    return results_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<PutMessageResult> results_;
};

TEST(MessageStoreTest, AsyncSyncFlushPutsCompleteOnceDurableAndShareSyncs) {
  holdfast::testing::TempDir dir;
  holdfast::testing::FaultInjectionFileSystem fs;
  auto store = MessageStore::Open(holdfast::testing::SmallStoreConfig(dir.path()), &fs);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  fs.SetSyncDelay(std::chrono::milliseconds(2));
  int64_t syncs_before = fs.sync_count();
  CompletionLatch latch;
  const int n = 200;
  for (int i = 0; i < n; ++i) {
    (*store)->PutMessageAsync(holdfast::testing::MakeMessage("AS", 0, i),
                              [&latch](PutMessageResult r) { latch.Done(std::move(r)); });
  }
  ASSERT_TRUE(latch.WaitFor(n, std::chrono::seconds(30)));
  for (const auto& r : latch.results()) {
    ASSERT_EQ(r.status, PutMessageStatus::kPutOk) << r.error;
    // Completed means durable: the flushed offset covers the record.
    EXPECT_LE(r.append.wrote_offset + r.append.wrote_bytes, (*store)->GetFlushedPhyOffset());
  }
  EXPECT_LT(fs.sync_count() - syncs_before, n / 4) << "async appends should share syncs";
  ASSERT_TRUE((*store)->WaitForDispatch(std::chrono::seconds(10)));
  EXPECT_EQ((*store)->GetMaxOffsetInQueue("AS", 0), n);
}

TEST(MessageStoreTest, AsyncPutWhoseSyncIsTooSlowCompletesWithFlushDiskTimeout) {
  holdfast::testing::TempDir dir;
  holdfast::testing::FaultInjectionFileSystem fs;
  auto config = holdfast::testing::SmallStoreConfig(dir.path());
  config.sync_flush_timeout = 50;
  auto store = MessageStore::Open(config, &fs);
  ASSERT_TRUE(store.ok());
  fs.SetSyncDelay(std::chrono::milliseconds(300));
  CompletionLatch latch;
  (*store)->PutMessageAsync(holdfast::testing::MakeMessage("AT", 0, 0),
                            [&latch](PutMessageResult r) { latch.Done(std::move(r)); });
  ASSERT_TRUE(latch.WaitFor(1, std::chrono::seconds(10)));
  EXPECT_EQ(latch.results()[0].status, PutMessageStatus::kFlushDiskTimeout);
  fs.SetSyncDelay(std::chrono::milliseconds(0));
}

TEST(MessageStoreTest, AsyncPutWhoseSyncFailsCompletesWithFlushDiskFailedAndTheCause) {
  holdfast::testing::TempDir dir;
  holdfast::testing::FaultInjectionFileSystem fs;
  auto store = MessageStore::Open(holdfast::testing::SmallStoreConfig(dir.path()), &fs);
  ASSERT_TRUE(store.ok());
  // The first append waits for the first segment to be prepared (zero-filled and synced).
  ASSERT_TRUE((*store)->PutMessage(holdfast::testing::MakeMessage("AF", 0, 0)).ok());
  fs.FailSyncs(Status::IoError("injected EIO on fdatasync"), "/commitlog/");
  CompletionLatch latch;
  (*store)->PutMessageAsync(holdfast::testing::MakeMessage("AF", 0, 1),
                            [&latch](PutMessageResult r) { latch.Done(std::move(r)); });
  ASSERT_TRUE(latch.WaitFor(1, std::chrono::seconds(10)));
  const PutMessageResult r = latch.results()[0];
  EXPECT_EQ(r.status, PutMessageStatus::kFlushDiskFailed);
  EXPECT_EQ(PutMessageStatusName(r.status), "FLUSH_DISK_FAILED");
  EXPECT_NE(r.error.find("injected EIO on fdatasync"), std::string::npos) << r.error;
}

TEST(MessageStoreTest, AsyncPutOfBadInputCompletesAtOnceWithTheReason) {
  holdfast::testing::TempDir dir;
  auto store = MessageStore::Open(holdfast::testing::SmallStoreConfig(dir.path()));
  ASSERT_TRUE(store.ok());
  CompletionLatch latch;
  (*store)->PutMessageAsync(holdfast::testing::MakeMessage("bad topic", 0, 0),
                            [&latch](PutMessageResult r) { latch.Done(std::move(r)); });
  ASSERT_TRUE(latch.WaitFor(1, std::chrono::seconds(1)));
  EXPECT_EQ(latch.results()[0].status, PutMessageStatus::kMessageIllegal);
}

// The arriving listener sees each dispatched message once, after GetMessage can return it, with
// the queue's new max offset and tags code; after removal nothing more is reported.
TEST(MessageStoreArrivingListenerTest, ReportsEachMessageAfterItIsVisible) {
  TempDir dir;
  auto store = OpenOrDie(SmallStoreConfig(dir.path(), FlushDiskType::kAsyncFlush));
  ASSERT_NE(store, nullptr);
  struct Arrival {
    std::string topic;
    int32_t queue_id;
    int64_t max_offset;
    int64_t tags_code;
    int64_t store_timestamp;
    bool visible;
  };
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Arrival> arrivals;
  MessageStore* raw = store.get();
  store->SetMessageArrivingListener([&](std::string_view topic, int32_t queue_id,
                                        int64_t max_offset, int64_t tags_code, int64_t ts) {
    const bool visible = raw->GetMaxOffsetInQueue(topic, queue_id) >= max_offset;
    std::lock_guard lock(mu);
    arrivals.push_back({std::string(topic), queue_id, max_offset, tags_code, ts, visible});
    cv.notify_all();
  });
  MessageExt tagged = MakeMessage("TopicA", 1, 0);
  tagged.properties = EncodeProperties({{"TAGS", "TagA"}});
  ASSERT_EQ(store->PutMessage(tagged).status, PutMessageStatus::kPutOk);
  ASSERT_EQ(store->PutMessage(MakeMessage("TopicA", 1, 1)).status, PutMessageStatus::kPutOk);
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return arrivals.size() == 2; }));
    EXPECT_EQ(arrivals[0].topic, "TopicA");
    EXPECT_EQ(arrivals[0].queue_id, 1);
    EXPECT_EQ(arrivals[0].max_offset, 1);
    EXPECT_EQ(arrivals[0].tags_code, JavaStringHashCode("TagA"));
    EXPECT_GT(arrivals[0].store_timestamp, 0);
    EXPECT_TRUE(arrivals[0].visible);
    EXPECT_EQ(arrivals[1].max_offset, 2);
    EXPECT_TRUE(arrivals[1].visible);
  }
  store->SetMessageArrivingListener(nullptr);
  ASSERT_EQ(store->PutMessage(MakeMessage("TopicA", 1, 2)).status, PutMessageStatus::kPutOk);
  ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(5)));
  std::lock_guard lock(mu);
  EXPECT_EQ(arrivals.size(), 2u);
}

}  // namespace
}  // namespace holdfast::store

namespace holdfast::store {
namespace {

using holdfast::testing::ResidentBytes;

// An ASYNC_FLUSH segment is memory-mapped; faulting all of it in when it is prepared would make an
// idle broker's resident memory the segment size. Only windows ahead of the writer are.
TEST(MessageStoreTest, AsyncFlushFaultsInOnlyWindowsAheadOfTheWriter) {
  holdfast::testing::TempDir dir;
  auto config = holdfast::testing::SmallStoreConfig(dir.path(), FlushDiskType::kAsyncFlush);
  config.warm_mapped_file_enable = true;
  config.mapped_file_size_commit_log = 128 << 20;
  auto store = MessageStore::Open(config);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  // The first put waits for the first segment, which the allocator prepares (and populates).
  ASSERT_TRUE((*store)->PutMessage(holdfast::testing::MakeMessage("W", 0, 0)).ok());
  const std::string segment = dir.path() + "/commitlog/" + MappedFile::FileName(0);
  const int64_t resident = ResidentBytes(segment, config.mapped_file_size_commit_log);
  ASSERT_GE(resident, 0) << "mincore on " << segment;
  // The first window and the ones the first put asked for (and the kernel's read-around), never
  // the whole segment.
  EXPECT_LE(resident, 4 * AllocateMappedFileService::kPopulateWindow) << resident;
  EXPECT_GE(resident, 4096) << "the written page at least";

  // Writing on moves the window along: the bytes written, and more, become resident.
  int64_t seq = 1;
  while ((*store)->GetMaxPhyOffset() < 40 << 20) {
    ASSERT_TRUE((*store)->PutMessage(holdfast::testing::MakeMessage("W", 0, seq++, 4000)).ok());
  }
  EXPECT_GE(ResidentBytes(segment, config.mapped_file_size_commit_log), 40 << 20);
  EXPECT_LT(ResidentBytes(segment, config.mapped_file_size_commit_log),
            config.mapped_file_size_commit_log);
}

// The commit log keeps commitLogPageCacheWindow bytes below the flushed offset in the page cache
// and lets go of older pages once they are synced; every message still reads back whole, from the
// disk. No allocator thread and no periodic flush here, so the letting go runs on the appending
// thread, in the sync that made the bytes durable, before PutMessage (or Flush) returns.
void CheckPageCacheWindow(FlushDiskType flush) {
  holdfast::testing::TempDir dir;
  if (!holdfast::testing::PageCacheCanDrop(dir.path())) {
    GTEST_SKIP() << dir.path() << " is on tmpfs or ramfs, whose pages cannot be dropped";
  }
  auto config = holdfast::testing::SmallStoreConfig(dir.path(), flush);
  config.mapped_file_size_commit_log = 4 << 20;
  config.commit_log_page_cache_window = 1 << 20;
  config.warm_mapped_file_enable = false;
  config.flush_interval_commit_log = 3600 * 1000;
  auto store = MessageStore::Open(config);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  constexpr int64_t kLogBytes = 24 << 20;
  std::vector<int64_t> offsets;
  int64_t seq = 0;
  while ((*store)->GetMaxPhyOffset() < kLogBytes) {
    auto r = (*store)->PutMessage(holdfast::testing::MakeMessage("P", 0, seq++, 4000));
    ASSERT_TRUE(r.ok()) << r.error;
    offsets.push_back(r.append.wrote_offset);
  }
  ASSERT_TRUE((*store)->Flush().ok());

  // Cached bytes of the commit log in [from, to), over its segments.
  const int64_t size = config.mapped_file_size_commit_log;
  auto resident = [&](int64_t from, int64_t to) {
    from = (from + 4095) / 4096 * 4096;  // whole pages
    int64_t sum = 0;
    for (int64_t start = from / size * size; start < to; start += size) {
      const std::string segment = dir.path() + "/commitlog/" + MappedFile::FileName(start);
      const int64_t n = holdfast::testing::ResidentBytes(segment, std::min(size, to - start),
                                                         std::max<int64_t>(0, from - start));
      if (n < 0) return n;
      sum += n;
    }
    return sum;
  };
  const int64_t end = (*store)->GetMaxPhyOffset();
  const int64_t window = config.commit_log_page_cache_window;
  // Let go of in steps of 8 MiB: everything more than window + 8 MiB below the end is gone.
  EXPECT_EQ(resident(0, end - window - (8 << 20)), 0);
  // The window itself stays (its whole pages).
  EXPECT_GE(resident(end - window, end), window - 2 * 4096);

  for (size_t i = 0; i < offsets.size(); ++i) {
    auto m = (*store)->LookMessageByOffset(offsets[i]);
    ASSERT_TRUE(m.ok()) << "offset " << offsets[i] << ": " << m.status().ToString();
    ASSERT_EQ(m->body, holdfast::testing::BodyFor(static_cast<int64_t>(i), 4000));
  }
}

TEST(MessageStoreTest, SyncFlushLetsGoOfCommitLogPagesBelowThePageCacheWindow) {
  CheckPageCacheWindow(FlushDiskType::kSyncFlush);
}

TEST(MessageStoreTest, AsyncFlushLetsGoOfCommitLogPagesBelowThePageCacheWindow) {
  CheckPageCacheWindow(FlushDiskType::kAsyncFlush);
}

}  // namespace
}  // namespace holdfast::store

// The SYNC_FLUSH write buffer (commit_log.h): appends wait in memory for the next sync's write.
namespace holdfast::store {
namespace {

using holdfast::testing::FileCall;
using holdfast::testing::RecordingFileSystem;

// A message that asks not to wait for the flush (RocketMQ's WAIT=false).
MessageExt NoWaitMessage(const std::string& topic, int64_t seq) {
  MessageExt m = holdfast::testing::MakeMessage(topic, 0, seq);
  PropertyMap props = DecodeProperties(m.properties);
  props[std::string(property::kWaitStoreMsgOk)] = "false";
  m.properties = EncodeProperties(props);
  return m;
}

// Reads [offset, offset + n) of the commit log from its segment file with plain POSIX reads,
// past the store: what a process that opened the file now (or a kill -9 survivor) would see.
std::string ReadFromSegmentFile(const MessageStoreConfig& config, int64_t offset, size_t n) {
  const int64_t size = config.mapped_file_size_commit_log;
  const int64_t start = offset / size * size;
  const std::string path = config.store_path_root_dir + "/commitlog/" + MappedFile::FileName(start);
  auto file = FileSystem::Default()->Open(path, false);
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  std::string out(n, '\0');
  if (file.ok()) {
    auto got = (*file)->Read(offset - start, n, out.data());
    EXPECT_TRUE(got.ok());
  }
  return out;
}

// An append that does not wait for the flush still returns only once its record is in the page
// cache: the write buffer must not turn "acknowledged" into "held in this process's memory".
TEST(MessageStoreTest, SyncFlushAppendsThatDoNotWaitAreInTheFileWhenTheyReturn) {
  TempDir dir;
  auto config = SmallStoreConfig(dir.path());
  config.flush_interval_commit_log = 60'000;  // no background flush writes the buffer meanwhile
  auto store = OpenOrDie(config);
  ASSERT_TRUE(store);
  for (int64_t seq = 0; seq < 20; ++seq) {
    PutMessageResult r = store->PutMessage(NoWaitMessage("W", seq));
    ASSERT_EQ(r.status, PutMessageStatus::kPutOk) << r.error;
    std::string record = ReadFromSegmentFile(config, r.append.wrote_offset,
                                             static_cast<size_t>(r.append.wrote_bytes));
    auto view = DecodeStoredRecord(record, true);
    ASSERT_TRUE(view.ok()) << "message " << seq << ": " << view.status().ToString();
    EXPECT_EQ(std::string(view->body), BodyFor(seq, 100));
  }
}

// Appends that arrive together reach the file together: fewer writes than appends, and every
// record byte written exactly once.
TEST(MessageStoreTest, SyncFlushWritesAppendsThatArriveTogetherInOneWrite) {
  TempDir dir;
  RecordingFileSystem fs;
  auto config = SmallStoreConfig(dir.path());
  config.mapped_file_size_commit_log = 1 << 20;  // no roll-over in the middle
  auto store = OpenOrDie(config, &fs);
  ASSERT_TRUE(store);
  ASSERT_EQ(store->PutMessage(holdfast::testing::MakeMessage("G", 0, 0)).status,
            PutMessageStatus::kPutOk);
  const int64_t first = store->GetMaxPhyOffset();
  // Only what comes after the first append, to the first segment: the allocator meanwhile
  // zero-fills the next one.
  const size_t mark = fs.calls().size();
  const std::string segment = "/commitlog/" + MappedFile::FileName(0);

  constexpr int kAppends = 64;
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  int ok = 0;
  for (int i = 1; i <= kAppends; ++i) {
    store->PutMessageAsync(holdfast::testing::MakeMessage("G", 0, i), [&](PutMessageResult r) {
      std::lock_guard lock(mu);
      ++done;
      if (r.status == PutMessageStatus::kPutOk) ++ok;
      cv.notify_all();
    });
  }
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return done == kAppends; }));
  }
  EXPECT_EQ(ok, kAppends);
  const int64_t last = store->GetMaxPhyOffset();

  int writes = 0;
  int64_t bytes = 0;
  const std::vector<FileCall> calls = fs.calls();
  for (size_t i = mark; i < calls.size(); ++i) {
    const FileCall& c = calls[i];
    if (c.kind != FileCall::kWrite || !c.path.ends_with(segment)) continue;
    // The segment starts at 0, so its file offsets are commit-log offsets.
    EXPECT_GE(c.offset, first) << "a write below the appends";
    EXPECT_LE(c.offset + c.length, last) << "a write past the appends";
    ++writes;
    bytes += c.length;
  }
  EXPECT_EQ(bytes, last - first) << "every record byte is written exactly once";
  EXPECT_LT(writes, kAppends) << "one write per append: nothing was gathered";
}

// A commit-log write that fails after its appends were counted (the buffer's write, before the
// sync) is sticky, like a failed fdatasync: the waiting append is not acknowledged, later ones
// are refused, and a reopened store holds every acknowledged message and goes on.
TEST(MessageStoreTest, FailedCommitLogWriteIsStickyUntilReopen) {
  TempDir dir;
  FaultInjectionFileSystem fs;
  auto config = SmallStoreConfig(dir.path());
  config.mapped_file_size_commit_log = 1 << 20;  // prepared at open: no zero-fill write later
  {
    auto store = OpenOrDie(config, &fs);
    ASSERT_TRUE(store);
    for (int64_t seq = 0; seq < 5; ++seq) {
      ASSERT_EQ(store->PutMessage(MakeMessage("F", 0, seq)).status, PutMessageStatus::kPutOk);
    }
    fs.FailWritesAfter(0, Status::IoError("injected EIO on write"));
    PutMessageResult r = store->PutMessage(MakeMessage("F", 0, 5));
    EXPECT_NE(r.status, PutMessageStatus::kPutOk);
    EXPECT_NE(r.error.find("injected EIO on write"), std::string::npos) << r.error;
    fs.ClearFaults();
    r = store->PutMessage(MakeMessage("F", 0, 6));
    EXPECT_EQ(r.status, PutMessageStatus::kServiceNotAvailable) << r.error;
  }
  auto store = OpenOrDie(config, &fs);
  ASSERT_TRUE(store);
  ASSERT_EQ(store->PutMessage(MakeMessage("F", 0, 7)).status, PutMessageStatus::kPutOk);
  ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(10)));
  auto all = ReadQueue(*store, "F", 0);
  ASSERT_EQ(all.size(), 6u);
  for (int64_t seq = 0; seq < 5; ++seq) {
    EXPECT_EQ(all[static_cast<size_t>(seq)].body, BodyFor(seq, 100));
  }
  EXPECT_EQ(all.back().body, BodyFor(7, 100));
}

}  // namespace
}  // namespace holdfast::store

namespace holdfast::store {
namespace {

// Bytes of the file on disk (allocated blocks); -1 when it does not exist.
int64_t DiskBytes(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int64_t>(st.st_blocks) * 512;
}

// A new SYNC_FLUSH store fills its first segment ahead of the writer, not whole, and asks for the
// next segment only once the writer is past half of the current one (not at start, where its
// fill would compete with the first sends for the disk). Every message reads back across the
// roll-over.
TEST(MessageStoreTest, SyncFlushFillsSegmentsAheadOfTheWriterAndTheNextOnePastHalf) {
  holdfast::testing::TempDir dir;
  auto config = holdfast::testing::SmallStoreConfig(dir.path());
  config.warm_mapped_file_enable = true;
  config.mapped_file_size_commit_log = 256 << 20;  // more than the fill-ahead of a few messages
  config.max_message_size = 2 << 20;
  const int64_t size = config.mapped_file_size_commit_log;
  auto store = MessageStore::Open(config);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->PutMessage(holdfast::testing::MakeMessage("F", 0, 0)).ok());
  const std::string first = dir.path() + "/commitlog/" + MappedFile::FileName(0);
  const std::string second = dir.path() + "/commitlog/" + MappedFile::FileName(size);
  EXPECT_GT(DiskBytes(first), 0);
  EXPECT_LE(DiskBytes(first), 3 * AllocateMappedFileService::kFillAheadWindow)
      << "the first segment was filled beyond the writer's windows";
  EXPECT_EQ(DiskBytes(second), -1) << "the next segment was asked for at start";

  int64_t seq = 1;
  constexpr size_t kBody = 1 << 20;
  while ((*store)->GetMaxPhyOffset() < size / 2 - (1 << 20)) {
    ASSERT_TRUE((*store)->PutMessage(holdfast::testing::MakeMessage("F", 0, seq++, kBody)).ok());
  }
  EXPECT_EQ(DiskBytes(second), -1) << "the next segment was asked for before half";
  while ((*store)->GetMaxPhyOffset() < size / 2 + (1 << 20)) {
    ASSERT_TRUE((*store)->PutMessage(holdfast::testing::MakeMessage("F", 0, seq++, kBody)).ok());
  }
  EXPECT_TRUE(holdfast::testing::WaitUntil([&] { return DiskBytes(second) > 0; }))
      << "no next segment after half of the first";
  while ((*store)->GetMaxPhyOffset() < size + (1 << 20)) {
    ASSERT_TRUE((*store)->PutMessage(holdfast::testing::MakeMessage("F", 0, seq++, kBody)).ok());
  }
  for (int64_t i = 1; i < seq; ++i) {
    auto m = (*store)->LookMessageByOffset((*store)->GetCommitLogOffsetInQueue("F", 0, i));
    ASSERT_TRUE(m.ok()) << i << ": " << m.status().ToString();
    ASSERT_EQ(m->body, holdfast::testing::BodyFor(i, kBody)) << i;
  }
}

}  // namespace
}  // namespace holdfast::store
