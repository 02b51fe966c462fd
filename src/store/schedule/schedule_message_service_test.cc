#include "store/schedule/schedule_message_service.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "common/message_codec.h"
#include "store/message_store.h"
#include "store/schedule/schedule_routing.h"
#include "tests/support/fault_file_system.h"
#include "tests/support/store_fixture.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_until.h"

namespace holdfast::store::schedule {
namespace {

using holdfast::testing::FaultInjectionFileSystem;
using holdfast::testing::MakeMessage;
using holdfast::testing::TempDir;
using holdfast::testing::WaitUntil;

MessageStoreConfig Config(const std::string& dir) {
  MessageStoreConfig c = holdfast::testing::SmallStoreConfig(dir);
  c.mapped_file_size_commit_log = 1 << 20;
  c.message_delay_level = "1s 2s 3s";
  return c;
}

std::unique_ptr<MessageStore> OpenOrDie(const MessageStoreConfig& config,
                                        FileSystem* fs = FileSystem::Default()) {
  auto store = MessageStore::Open(config, fs);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

MessageExt Delayed(const std::string& topic, int32_t queue_id, int64_t seq, int level) {
  MessageExt m = MakeMessage(topic, queue_id, seq);
  PropertyMap props = DecodeProperties(m.properties);
  props["DELAY"] = std::to_string(level);
  m.properties = EncodeProperties(props);
  return m;
}

// Every message of a queue, decoded.
std::vector<MessageExt> ReadQueue(MessageStore& store, std::string_view topic, int32_t queue_id) {
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

ScheduleMessageService::Options FastOptions() {
  ScheduleMessageService::Options o;
  o.poll_interval = std::chrono::milliseconds(10);
  o.failure_backoff = std::chrono::milliseconds(50);
  return o;
}

TEST(ScheduleMessageStoreTest, ADelayedPutWaitsInItsLevelsQueueWithItsDueTimeAsTagsCode) {
  TempDir dir;
  auto store = OpenOrDie(Config(dir.path()));
  ASSERT_TRUE(store);
  PutMessageResult put = store->PutMessage(Delayed("T", 2, 1, 2));
  ASSERT_TRUE(put.ok()) << put.error;
  ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(5)));
  EXPECT_EQ(store->GetMaxOffsetInQueue("T", 2), 0);
  auto entries = store->GetQueueEntries(kScheduleTopic, 1, 0, 10);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].tags_code, put.append.store_timestamp + 2000);

  // Found by key under its real topic while it waits.
  auto found = store->QueryMessage("T", "key-1", 10);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].topic, kScheduleTopic);
  EXPECT_EQ(FindProperty(found[0].properties, "REAL_TOPIC"), "T");
  EXPECT_EQ(store->QueryMessage("T", "UNIQ0000000000000001", 10).size(), 1u);
  EXPECT_TRUE(store->QueryMessage("Other", "key-1", 10).empty());

  // A batch with a delay level is refused.
  std::vector<MessageExt> batch = {MakeMessage("T", 0, 2), Delayed("T", 0, 3, 1)};
  PutMessageResult refused = store->PutMessages(batch);
  EXPECT_EQ(refused.status, PutMessageStatus::kMessageIllegal);
  EXPECT_NE(refused.error.find("batch"), std::string::npos) << refused.error;
}

TEST(ScheduleMessageStoreTest, ABadMessageDelayLevelFailsOpenNamingTheToken) {
  TempDir dir;
  MessageStoreConfig c = Config(dir.path());
  c.message_delay_level = "1s 2q";
  auto store = MessageStore::Open(c);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("'2q'"), std::string::npos) << store.status().ToString();
}

TEST(ScheduleMessageServiceTest, DeliversEachMessageNoEarlierThanItsDelayKeepingItsIdentity) {
  TempDir dir;
  auto store = OpenOrDie(Config(dir.path()));
  ASSERT_TRUE(store);
  ScheduleMessageService service(store.get(), FileSystem::Default(), FastOptions());
  ASSERT_TRUE(service.Start().ok());
  std::vector<PutMessageResult> puts;
  for (int i = 0; i < 6; ++i) {
    puts.push_back(store->PutMessage(Delayed("T", i % 2, i, 1 + i % 2)));
    ASSERT_TRUE(puts.back().ok()) << puts.back().error;
  }
  ASSERT_TRUE(WaitUntil([&] { return service.delivered() == 6; }, std::chrono::seconds(10)));
  ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(5)));
  std::vector<MessageExt> got = ReadQueue(*store, "T", 0);
  std::vector<MessageExt> q1 = ReadQueue(*store, "T", 1);
  got.insert(got.end(), q1.begin(), q1.end());
  ASSERT_EQ(got.size(), 6u);
  for (const MessageExt& m : got) {
    const int64_t seq = m.born_timestamp - 1700000000000;
    ASSERT_TRUE(seq >= 0 && seq < 6) << m.born_timestamp;
    const MessageExt original = MakeMessage("T", static_cast<int32_t>(seq % 2), seq);
    EXPECT_EQ(m.queue_id, seq % 2);
    EXPECT_EQ(m.body, original.body);
    EXPECT_EQ(FindProperty(m.properties, "UNIQ_KEY"),
              FindProperty(original.properties, "UNIQ_KEY"));
    EXPECT_FALSE(FindProperty(m.properties, "DELAY"));
    const int64_t delay = 1000 * (1 + seq % 2);
    EXPECT_GE(m.store_timestamp, puts[static_cast<size_t>(seq)].append.store_timestamp + delay)
        << "message " << seq << " came early";
  }
  EXPECT_EQ(service.Offsets(), (DelayOffsetTable{{1, 3}, {2, 3}, {3, 0}}));
  // Found by key twice now: waiting and delivered.
  EXPECT_EQ(store->QueryMessage("T", "key-0", 10).size(), 2u);
}

TEST(ScheduleMessageServiceTest, ARestartResumesFromDelayOffsetJson) {
  TempDir dir;
  const std::string path = ScheduleMessageService::OffsetFilePath(dir.path());
  {
    auto store = OpenOrDie(Config(dir.path()));
    ASSERT_TRUE(store);
    ScheduleMessageService service(store.get(), FileSystem::Default(), FastOptions());
    ASSERT_TRUE(service.Start().ok());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(store->PutMessage(Delayed("T", 0, i, 1)).ok());
    ASSERT_TRUE(WaitUntil([&] { return service.delivered() == 3; }, std::chrono::seconds(10)));
    service.Shutdown();
    auto text = ReadWholeFile(FileSystem::Default(), path);
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(*DecodeDelayOffsetTable(*text, path), (DelayOffsetTable{{1, 3}, {2, 0}, {3, 0}}));
    // Two more wait while no service runs.
    for (int i = 3; i < 5; ++i) ASSERT_TRUE(store->PutMessage(Delayed("T", 0, i, 1)).ok());
  }
  auto store = OpenOrDie(Config(dir.path()));
  ASSERT_TRUE(store);
  ScheduleMessageService service(store.get(), FileSystem::Default(), FastOptions());
  ASSERT_TRUE(service.Start().ok());
  EXPECT_EQ(service.Offsets().at(1), 3);
  ASSERT_TRUE(WaitUntil([&] { return service.delivered() == 2; }, std::chrono::seconds(10)));
  ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(5)));
  std::vector<MessageExt> got = ReadQueue(*store, "T", 0);
  ASSERT_EQ(got.size(), 5u);  // nothing delivered twice
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(got[static_cast<size_t>(i)].born_timestamp, 1700000000000 + i);
}

TEST(ScheduleMessageServiceTest, ADamagedOffsetFileFailsStartNamingIt) {
  TempDir dir;
  auto store = OpenOrDie(Config(dir.path()));
  ASSERT_TRUE(store);
  const std::string path = ScheduleMessageService::OffsetFilePath(dir.path());
  ASSERT_TRUE(FileSystem::Default()->CreateDirs(DirName(path)).ok());
  ASSERT_TRUE(WriteFileAtomically(FileSystem::Default(), path, "{\"offsetTable\":{1:").ok());
  ScheduleMessageService service(store.get(), FileSystem::Default(), FastOptions());
  Status s = service.Start();
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("delayOffset.json"), std::string::npos) << s.ToString();
}

TEST(ScheduleMessageServiceTest, AFailedRePutDoesNotAdvanceTheLevel) {
  TempDir dir;
  FaultInjectionFileSystem fs;
  {
    auto store = OpenOrDie(Config(dir.path()), &fs);
    ASSERT_TRUE(store);
    PutMessageResult put = store->PutMessage(Delayed("T", 0, 1, 1));
    ASSERT_TRUE(put.ok()) << put.error;
    ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(5)));
    // Every commit-log sync fails from now on: the re-put cannot be made durable.
    fs.FailSyncs(Status::IoError("injected"), "commitlog");
    ScheduleMessageService service(store.get(), &fs, FastOptions());
    ASSERT_TRUE(service.Start().ok());
    // Several failed rounds (the first re-put's sync fails, later ones find the store stopped);
    // none may move the level.
    ASSERT_TRUE(WaitUntil([&] { return service.failed_rounds() >= 3; }, std::chrono::seconds(10)));
    EXPECT_FALSE(store->StickyError().ok());
    EXPECT_EQ(service.Offsets().at(1), 0);
    EXPECT_EQ(service.delivered(), 0);
    service.Shutdown();
    EXPECT_EQ(service.Offsets().at(1), 0);
    fs.ClearFaults();
  }
  // After a restart the message is delivered.
  auto store = OpenOrDie(Config(dir.path()));
  ASSERT_TRUE(store);
  ScheduleMessageService service(store.get(), FileSystem::Default(), FastOptions());
  ASSERT_TRUE(service.Start().ok());
  EXPECT_EQ(service.Offsets().at(1), 0);
  ASSERT_TRUE(WaitUntil([&] { return service.delivered() >= 1; }, std::chrono::seconds(10)));
  ASSERT_TRUE(store->WaitForDispatch(std::chrono::seconds(5)));
  std::vector<MessageExt> got = ReadQueue(*store, "T", 0);
  ASSERT_GE(got.size(), 1u);
  EXPECT_EQ(got.back().born_timestamp, 1700000000001);
}

}  // namespace
}  // namespace holdfast::store::schedule
