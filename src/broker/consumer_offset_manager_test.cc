#include "broker/consumer_offset_manager.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "broker/broker_test_fixture.h"
#include "store/file_system.h"
#include "tests/support/temp_dir.h"

namespace holdfast::broker {
namespace {

using ::testing::HasSubstr;

store::FileSystem* Fs() { return store::FileSystem::Default(); }

TEST(ConsumerOffsetManagerTest, UnknownOffsetIsMinusOne) {
  testing::TempDir dir;
  ConsumerOffsetManager manager(Fs(), BrokerConfigAt(dir.path()));
  EXPECT_EQ(manager.QueryOffset("G", "T", 0), -1);
  manager.CommitOffset("G", "T", 0, 42);
  EXPECT_EQ(manager.QueryOffset("G", "T", 0), 42);
  EXPECT_EQ(manager.QueryOffset("G", "T", 1), -1);
  EXPECT_EQ(manager.QueryOffset("Other", "T", 0), -1);
  manager.CommitOffset("G", "T", 0, 40);  // a reset may move it back
  EXPECT_EQ(manager.QueryOffset("G", "T", 0), 40);
  EXPECT_EQ(manager.QueryOffset("G", "T").size(), 1u);
}

TEST(ConsumerOffsetManagerTest, RemovesByTopicOrGroupWithoutTouchingLookalikes) {
  testing::TempDir dir;
  ConsumerOffsetManager manager(Fs(), BrokerConfigAt(dir.path()));
  manager.CommitOffset("G", "T", 0, 1);
  manager.CommitOffset("G", "T", 1, 2);
  manager.CommitOffset("G", "TT", 0, 3);
  manager.CommitOffset("xG", "T", 0, 4);
  manager.CommitOffset("G", "U", 0, 5);
  EXPECT_EQ(manager.WhichTopicByConsumer("G"), (std::set<std::string>{"T", "TT", "U"}));
  EXPECT_EQ(manager.WhichTopicByConsumer("xG"), (std::set<std::string>{"T"}));
  EXPECT_TRUE(manager.WhichTopicByConsumer("Nobody").empty());

  EXPECT_EQ(manager.RemoveOffsetsOfTopic("T"), 2);  // T@G and T@xG, not TT@G
  EXPECT_EQ(manager.QueryOffset("G", "T", 0), -1);
  EXPECT_EQ(manager.QueryOffset("xG", "T", 0), -1);
  EXPECT_EQ(manager.QueryOffset("G", "TT", 0), 3);

  manager.CommitOffset("xG", "U", 0, 6);
  EXPECT_EQ(manager.RemoveOffsetsOfGroup("G"), 2);  // TT@G and U@G, not U@xG
  EXPECT_EQ(manager.QueryOffset("xG", "U", 0), 6);
  EXPECT_EQ(manager.offset_table().size(), 1u);
  EXPECT_EQ(manager.RemoveOffsetsOfGroup("G"), 0);
}

TEST(ConsumerOffsetManagerTest, FileHasFastjsonShapeWithUnquotedQueueIds) {
  testing::TempDir dir;
  ConsumerOffsetManager manager(Fs(), BrokerConfigAt(dir.path()));
  EXPECT_EQ(manager.Encode(), "{\n\t\"offsetTable\":{}\n}");
  manager.CommitOffset("GroupA", "TopicA", 1, 456);
  manager.CommitOffset("GroupA", "TopicA", 0, 123);
  manager.CommitOffset("GroupA", "%RETRY%GroupA", 0, 0);
  manager.CommitOffset("GroupA", "TopicA", 10, 9);
  ASSERT_TRUE(manager.Persist().ok());
  auto text = store::ReadWholeFile(Fs(), dir.Sub("config/consumerOffset.json"));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text,
            "{\n"
            "\t\"offsetTable\":{\n"
            "\t\t\"%RETRY%GroupA@GroupA\":{0:0},\n"
            "\t\t\"TopicA@GroupA\":{0:123,1:456,10:9}\n"
            "\t}\n"
            "}");
}

TEST(ConsumerOffsetManagerTest, PersistenceRoundTripAndBakFallback) {
  testing::TempDir dir;
  {
    ConsumerOffsetManager manager(Fs(), BrokerConfigAt(dir.path()));
    manager.CommitOffset("G", "T", 0, 100);
    ASSERT_TRUE(manager.Persist().ok());
    manager.CommitOffset("G", "T", 0, 200);
    manager.CommitOffset("G", "T", 3, 7);
    ASSERT_TRUE(manager.Persist().ok());
  }
  {
    ConsumerOffsetManager reloaded(Fs(), BrokerConfigAt(dir.path()));
    ASSERT_TRUE(reloaded.Load().ok());
    EXPECT_EQ(reloaded.QueryOffset("G", "T", 0), 200);
    EXPECT_EQ(reloaded.QueryOffset("G", "T", 3), 7);
  }
  const std::string main = dir.Sub("config/consumerOffset.json");
  ASSERT_TRUE(store::WriteFileAtomically(Fs(), main, "{\"offsetTable\":{\"T@G\":{0:").ok());
  {
    ConsumerOffsetManager fallback(Fs(), BrokerConfigAt(dir.path()));
    ASSERT_TRUE(fallback.Load().ok());
    EXPECT_EQ(fallback.QueryOffset("G", "T", 0), 100);
    EXPECT_EQ(fallback.QueryOffset("G", "T", 3), -1);
  }
  ASSERT_TRUE(store::WriteFileAtomically(Fs(), main + ".bak", "").ok());
  ConsumerOffsetManager broken(Fs(), BrokerConfigAt(dir.path()));
  Status s = broken.Load();
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_THAT(s.message(), HasSubstr(main));
}

TEST(ConsumerOffsetManagerTest, ConcurrentCommitsFromManyThreads) {
  testing::TempDir dir;
  ConsumerOffsetManager manager(Fs(), BrokerConfigAt(dir.path()));
  constexpr int kThreads = 8;
  constexpr int kCommits = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&manager, t] {
      const std::string group = "G" + std::to_string(t % 2);
      for (int i = 1; i <= kCommits; ++i) {
        manager.CommitOffset(group, "T", t, i);
        EXPECT_GE(manager.QueryOffset(group, "T", t), 1);
      }
    });
  }
  // Persisting while commits go on must not tear the table.
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(manager.Persist().ok());
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(manager.QueryOffset("G" + std::to_string(t % 2), "T", t), kCommits);
  }
  ASSERT_TRUE(manager.Persist().ok());
  ConsumerOffsetManager reloaded(Fs(), BrokerConfigAt(dir.path()));
  ASSERT_TRUE(reloaded.Load().ok());
  EXPECT_EQ(reloaded.offset_table(), manager.offset_table());
}

}  // namespace
}  // namespace holdfast::broker
