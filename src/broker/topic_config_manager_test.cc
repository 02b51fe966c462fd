#include "broker/topic_config_manager.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "broker/broker_test_fixture.h"
#include "remoting/protocol/perm_name.h"
#include "store/file_system.h"
#include "tests/support/fault_file_system.h"
#include "tests/support/temp_dir.h"

namespace holdfast::broker {
namespace {

using protocol::DataVersion;
using protocol::kPermRead;
using protocol::kPermWrite;
using protocol::TopicConfig;
using ::testing::HasSubstr;

BrokerConfig TestConfig(const std::string& root) {
  BrokerConfig config = BrokerConfigAt(root);
  config.broker_cluster_name = "ClusterX";
  config.broker_name = "broker-a";
  return config;
}

store::FileSystem* Fs() { return store::FileSystem::Default(); }

TEST(TopicConfigManagerTest, SystemTopicsExistAtStart) {
  testing::TempDir dir;
  TopicConfigManager manager(Fs(), TestConfig(dir.path()));
  auto tbw = manager.SelectTopicConfig("TBW102");
  ASSERT_TRUE(tbw.has_value());
  EXPECT_EQ(tbw->perm, 7);
  EXPECT_EQ(tbw->read_queue_nums, 8);
  EXPECT_EQ(tbw->write_queue_nums, 8);
  auto schedule = manager.SelectTopicConfig("SCHEDULE_TOPIC_XXXX");
  ASSERT_TRUE(schedule.has_value());
  EXPECT_EQ(schedule->write_queue_nums, 18);
  for (const char* topic : {"SELF_TEST_TOPIC", "BenchmarkTest", "OFFSET_MOVED_EVENT", "ClusterX",
                            "broker-a", "ClusterX_REPLY_TOPIC", "RMQ_SYS_TRANS_HALF_TOPIC",
                            "RMQ_SYS_TRANS_OP_HALF_TOPIC", "TRANS_CHECK_MAX_TIME_TOPIC"}) {
    EXPECT_TRUE(manager.SelectTopicConfig(topic).has_value()) << topic;
    EXPECT_TRUE(manager.IsSystemTopic(topic)) << topic;
  }
  EXPECT_EQ(manager.SelectTopicConfig("broker-a")->perm, 7);
  EXPECT_EQ(manager.SelectTopicConfig("broker-a")->write_queue_nums, 1);
}

TEST(TopicConfigManagerTest, NoTemplateWhenAutoCreateDisabled) {
  testing::TempDir dir;
  BrokerConfig config = TestConfig(dir.path());
  config.auto_create_topic_enable = false;
  TopicConfigManager manager(Fs(), config);
  EXPECT_FALSE(manager.SelectTopicConfig("TBW102").has_value());
  auto created = manager.CreateTopicInSendMessageMethod("NewTopic", "TBW102", 4, 0);
  ASSERT_FALSE(created.ok());
  EXPECT_TRUE(created.status().IsNotFound());
}

TEST(TopicConfigManagerTest, AutoCreateFromTemplate) {
  testing::TempDir dir;
  TopicConfigManager manager(Fs(), TestConfig(dir.path()));
  DataVersion before = manager.data_version();

  auto created = manager.CreateTopicInSendMessageMethod("NewTopic", "TBW102", 4, 0);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->config.read_queue_nums, 4);
  EXPECT_EQ(created->config.write_queue_nums, 4);
  EXPECT_EQ(created->config.perm, kPermRead | kPermWrite);  // INHERIT dropped
  EXPECT_EQ(manager.data_version().counter, before.counter + 1);
  EXPECT_TRUE(Fs()->Exists(dir.Sub("config/topics.json")));

  // More queues than the template's write queues: capped.
  auto capped = manager.CreateTopicInSendMessageMethod("Wide", "TBW102", 64, 0);
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ(capped->config.write_queue_nums, 8);

  // Existing: returned as is.
  auto again = manager.CreateTopicInSendMessageMethod("NewTopic", "TBW102", 2, 0);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->config.write_queue_nums, 4);
}

TEST(TopicConfigManagerTest, AutoCreateNeedsInheritingTemplate) {
  testing::TempDir dir;
  TopicConfigManager manager(Fs(), TestConfig(dir.path()));
  ASSERT_TRUE(manager.UpdateTopicConfig(TopicConfig("Plain", 4, 4, kPermRead | kPermWrite)).ok());
  EXPECT_TRUE(manager.CreateTopicInSendMessageMethod("X", "Plain", 4, 0).status().IsNotFound());
  EXPECT_TRUE(manager.CreateTopicInSendMessageMethod("X", "NoSuch", 4, 0).status().IsNotFound());
  EXPECT_EQ(manager.CreateTopicInSendMessageMethod("bad name!", "TBW102", 4, 0).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_FALSE(manager.SelectTopicConfig("X").has_value());
}

TEST(TopicConfigManagerTest, RetryTopicCreatedWithoutTemplate) {
  testing::TempDir dir;
  TopicConfigManager manager(Fs(), TestConfig(dir.path()));
  auto created =
      manager.CreateTopicInSendMessageBackMethod("%RETRY%G", 1, kPermRead | kPermWrite, 0);
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->config.write_queue_nums, 1);
}

TEST(TopicConfigManagerTest, UpdateDeleteAndPersistenceRoundTrip) {
  testing::TempDir dir;
  DataVersion version;
  {
    TopicConfigManager manager(Fs(), TestConfig(dir.path()));
    TopicConfig c("Orders", 3, 5, kPermRead | kPermWrite);
    c.order = true;
    ASSERT_TRUE(manager.UpdateTopicConfig(c).ok());
    ASSERT_TRUE(manager.UpdateTopicConfig(TopicConfig("Gone")).ok());
    ASSERT_TRUE(manager.DeleteTopicConfig("Gone").ok());
    EXPECT_TRUE(manager.DeleteTopicConfig("Gone").IsNotFound());
    // A system topic's settings changed by an admin survive a restart.
    ASSERT_TRUE(manager.UpdateTopicConfig(TopicConfig("SELF_TEST_TOPIC", 2, 2, 6)).ok());
    version = manager.data_version();
  }
  auto text = store::ReadWholeFile(Fs(), dir.Sub("config/topics.json"));
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, HasSubstr("\"topicConfigTable\""));
  EXPECT_THAT(*text, HasSubstr("\n\t\"dataVersion\""));  // pretty-printed
  EXPECT_TRUE(Fs()->Exists(dir.Sub("config/topics.json.bak")));

  TopicConfigManager reloaded(Fs(), TestConfig(dir.path()));
  ASSERT_TRUE(reloaded.Load().ok());
  auto orders = reloaded.SelectTopicConfig("Orders");
  ASSERT_TRUE(orders.has_value());
  EXPECT_EQ(orders->read_queue_nums, 3);
  EXPECT_EQ(orders->write_queue_nums, 5);
  EXPECT_TRUE(orders->order);
  EXPECT_FALSE(reloaded.SelectTopicConfig("Gone").has_value());
  EXPECT_EQ(reloaded.SelectTopicConfig("SELF_TEST_TOPIC")->write_queue_nums, 2);
  EXPECT_EQ(reloaded.data_version(), version);
}

TEST(TopicConfigManagerTest, CorruptMainFileFallsBackToBak) {
  testing::TempDir dir;
  {
    TopicConfigManager manager(Fs(), TestConfig(dir.path()));
    ASSERT_TRUE(manager.UpdateTopicConfig(TopicConfig("First", 2, 2, 6)).ok());
    ASSERT_TRUE(manager.UpdateTopicConfig(TopicConfig("Second", 2, 2, 6)).ok());
  }
  // topics.json.bak holds the version with only "First".
  const std::string main = dir.Sub("config/topics.json");
  ASSERT_TRUE(store::WriteFileAtomically(Fs(), main, "{\"topicConfigTable\": {tr").ok());
  {
    TopicConfigManager reloaded(Fs(), TestConfig(dir.path()));
    ASSERT_TRUE(reloaded.Load().ok());
    EXPECT_TRUE(reloaded.SelectTopicConfig("First").has_value());
    EXPECT_FALSE(reloaded.SelectTopicConfig("Second").has_value());
    // The next persist must not copy the corrupt file over the good backup.
    ASSERT_TRUE(reloaded.UpdateTopicConfig(TopicConfig("Third", 1, 1, 6)).ok());
    auto bak = store::ReadWholeFile(Fs(), main + ".bak");
    ASSERT_TRUE(bak.ok());
    EXPECT_THAT(*bak, HasSubstr("\"First\""));
  }
  // Both bad: Corruption naming the file.
  ASSERT_TRUE(store::WriteFileAtomically(Fs(), main, "garbage").ok());
  ASSERT_TRUE(store::WriteFileAtomically(Fs(), main + ".bak", "[1,2").ok());
  TopicConfigManager broken(Fs(), TestConfig(dir.path()));
  Status s = broken.Load();
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_THAT(s.message(), HasSubstr(main));
  EXPECT_TRUE(broken.SelectTopicConfig("TBW102").has_value());  // table unchanged
}

TEST(TopicConfigManagerTest, PersistedTableSurvivesPowerLossAndReportsSyncFailure) {
  testing::TempDir dir;
  testing::FaultInjectionFileSystem fs;
  {
    TopicConfigManager manager(&fs, TestConfig(dir.path()));
    ASSERT_TRUE(manager.UpdateTopicConfig(TopicConfig("Durable", 2, 2, 6)).ok());
    fs.FailSyncs(Status::IoError("injected"));
    EXPECT_FALSE(manager.UpdateTopicConfig(TopicConfig("NotDurable", 2, 2, 6)).ok());
    EXPECT_FALSE(fs.Exists(dir.Sub("config/topics.json.bak.tmp")));  // no stray temporary
    fs.ClearFaults();
  }
  ASSERT_TRUE(fs.DropUnsyncedData().ok());
  TopicConfigManager reloaded(&fs, TestConfig(dir.path()));
  ASSERT_TRUE(reloaded.Load().ok());
  EXPECT_TRUE(reloaded.SelectTopicConfig("Durable").has_value());
  EXPECT_FALSE(reloaded.SelectTopicConfig("NotDurable").has_value());
}

}  // namespace
}  // namespace holdfast::broker
