#include "broker/broker_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "broker/properties.h"
#include "store/file_system.h"
#include "tests/support/temp_dir.h"

namespace holdfast::broker {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(PropertiesTest, ParsesCommentsSeparatorsEscapesAndContinuations) {
  auto entries = ParseProperties(
      "# comment\n"
      "! also a comment\n"
      "\n"
      "  a = 1  \n"
      "b:two\n"
      "c three\n"
      "path=C:\\\\store\\\\x\n"
      "long=first,\\\n"
      "     second\n"
      "uni=\\u0041\\tz\r\n"
      "empty=\n",
      "t.conf");
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 7u);
  EXPECT_EQ((*entries)[0].key, "a");
  EXPECT_EQ((*entries)[0].value, "1");
  EXPECT_EQ((*entries)[0].line, 4);
  EXPECT_EQ((*entries)[1].value, "two");
  EXPECT_EQ((*entries)[2].key, "c");
  EXPECT_EQ((*entries)[2].value, "three");
  EXPECT_EQ((*entries)[3].value, "C:\\store\\x");
  EXPECT_EQ((*entries)[4].value, "first,second");
  EXPECT_EQ((*entries)[4].line, 8);
  EXPECT_EQ((*entries)[5].value, "A\tz");
  EXPECT_EQ((*entries)[5].line, 10);
  EXPECT_EQ((*entries)[6].value, "");
}

TEST(PropertiesTest, BadUnicodeEscapeNamesLine) {
  auto entries = ParseProperties("a=1\nb=\\u12G4\n", "t.conf");
  ASSERT_FALSE(entries.ok());
  EXPECT_THAT(entries.status().message(), HasSubstr("t.conf:2"));
}

TEST(PropertiesTest, EscapedValueReadsBack) {
  for (std::string value : {" lead", "trail ", "back\\slash", "tab\tnew\nline", ""}) {
    auto entries = ParseProperties("k=" + EscapePropertyValue(value) + "\n", "t");
    ASSERT_TRUE(entries.ok());
    ASSERT_EQ(entries->size(), 1u);
    EXPECT_EQ((*entries)[0].value, value);
  }
}

TEST(BrokerConfigTest, DefaultsFollowRocketMq) {
  auto config = ParseBrokerConfig("", "empty.conf");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->broker_cluster_name, "DefaultCluster");
  EXPECT_FALSE(config->broker_name.empty());
  EXPECT_EQ(config->broker_id, 0);
  EXPECT_EQ(config->listen_port, 10911);
  EXPECT_EQ(config->ha_listen_port, 10912);
  EXPECT_EQ(config->broker_role, BrokerRole::kAsyncMaster);
  EXPECT_TRUE(config->auto_create_topic_enable);
  EXPECT_TRUE(config->auto_create_subscription_group);
  EXPECT_EQ(config->default_topic_queue_nums, 8);
  EXPECT_EQ(config->register_name_server_period, 30000);
  EXPECT_EQ(config->store.flush_disk_type, store::FlushDiskType::kAsyncFlush);
  EXPECT_EQ(config->store.max_message_size, 4194304);
  EXPECT_EQ(config->store.sync_flush_timeout, 5000);
  EXPECT_THAT(config->store.store_path_root_dir, HasSubstr("/store"));
}

TEST(BrokerConfigTest, ClientManagementKeys) {
  auto defaults = ParseBrokerConfig("", "empty.conf");
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->notify_consumer_ids_changed_enable);
  EXPECT_EQ(defaults->flush_consumer_offset_interval, 5000);
  auto config = ParseBrokerConfig(
      "notifyConsumerIdsChangedEnable=false\nflushConsumerOffsetInterval=1000\n", "b.conf");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_FALSE(config->notify_consumer_ids_changed_enable);
  EXPECT_EQ(config->flush_consumer_offset_interval, 1000);
}

TEST(BrokerConfigTest, DelayLevelKeys) {
  auto defaults = ParseBrokerConfig("", "empty.conf");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->store.message_delay_level,
            "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h");
  EXPECT_EQ(defaults->store.flush_delay_offset_interval, 10000);
  auto config =
      ParseBrokerConfig("messageDelayLevel=1s 2s 1d\nflushDelayOffsetInterval=500\n", "b.conf");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->store.message_delay_level, "1s 2s 1d");
  EXPECT_EQ(config->store.flush_delay_offset_interval, 500);
  auto bad = ParseBrokerConfig("brokerName=b\nmessageDelayLevel=1s 2w\n", "b.conf");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()),
              HasSubstr("b.conf:2: messageDelayLevel: messageDelayLevel '1s 2w': level 2 '2w'"));
}

TEST(BrokerConfigTest, ParsesTypicalBrokerConfAndOverrides) {
  const std::string text =
      "# RocketMQ's sample broker-a.properties\n"
      "brokerClusterName = ProdCluster\n"
      "brokerName=broker-a\n"
      "brokerId=1\n"
      "deleteWhen=04\n"
      "fileReservedTime=48\n"
      "brokerRole=SLAVE\n"
      "flushDiskType=SYNC_FLUSH\n"
      "namesrvAddr=10.0.0.1:9876; 10.0.0.2:9876\n"
      "listenPort=20911\n"
      "storePathRootDir=/data/store\n"
      "mappedFileSizeCommitLog=1048576\n"
      "autoCreateTopicEnable=false\n";
  auto config = ParseBrokerConfig(text, "broker-a.conf",
                                  {{"listenPort", "30911"}, {"maxMessageSize", "1024"}});
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->broker_cluster_name, "ProdCluster");
  EXPECT_EQ(config->broker_name, "broker-a");
  EXPECT_EQ(config->broker_id, 1);
  EXPECT_EQ(config->broker_role, BrokerRole::kSlave);
  EXPECT_EQ(config->store.flush_disk_type, store::FlushDiskType::kSyncFlush);
  EXPECT_THAT(config->NamesrvAddrList(), ElementsAre("10.0.0.1:9876", "10.0.0.2:9876"));
  EXPECT_EQ(config->listen_port, 30911);  // the override wins
  EXPECT_EQ(config->ha_listen_port, 30912);
  EXPECT_EQ(config->file_reserved_time, 48);
  EXPECT_FALSE(config->auto_create_topic_enable);
  store::MessageStoreConfig store_config = config->GetMessageStoreConfig();
  EXPECT_EQ(store_config.store_path_root_dir, "/data/store");
  EXPECT_EQ(store_config.mapped_file_size_commit_log, 1048576);
  EXPECT_EQ(store_config.max_message_size, 1024);
}

TEST(BrokerConfigTest, ExplicitHaListenPortIsKept) {
  auto config = ParseBrokerConfig("listenPort=20911\nhaListenPort=20000\n", "t.conf");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->ha_listen_port, 20000);
}

TEST(BrokerConfigTest, ReportsEveryErrorWithFileLineAndKey) {
  const std::string text =
      "brokerName=b\n"
      "listenPort=abc\n"
      "# fine\n"
      "defaultTopicQueueNums=0\n"
      "flushDiskType=SOMETIMES\n"
      "noSuchKey=1\n"
      "autoCreateTopicEnable=yes\n";
  auto config = ParseBrokerConfig(text, "/etc/broker.conf", {{"brokerRole", "FOLLOWER"}});
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), Status::Code::kInvalidArgument);
  const std::string msg = config.status().message();
  EXPECT_THAT(msg, HasSubstr("/etc/broker.conf:2: listenPort: 'abc' is not a number"));
  EXPECT_THAT(msg, HasSubstr("/etc/broker.conf:4: defaultTopicQueueNums: 0 is out of range"));
  EXPECT_THAT(msg, HasSubstr("/etc/broker.conf:5: flushDiskType: 'SOMETIMES' is not one of "
                             "ASYNC_FLUSH|SYNC_FLUSH"));
  EXPECT_THAT(msg, HasSubstr("/etc/broker.conf:6: noSuchKey: unknown key"));
  EXPECT_THAT(msg, HasSubstr("/etc/broker.conf:7: autoCreateTopicEnable"));
  EXPECT_THAT(msg, HasSubstr("command line: brokerRole: 'FOLLOWER'"));
}

TEST(BrokerConfigTest, SlaveNeedsNonZeroBrokerId) {
  auto config = ParseBrokerConfig("brokerName=b\nbrokerRole=SLAVE\n", "s.conf");
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(), HasSubstr("s.conf:2: brokerRole"));
}

TEST(BrokerConfigTest, MasterBrokerIdIsForcedToZero) {
  auto config = ParseBrokerConfig("brokerId=3\nbrokerRole=SYNC_MASTER\n", "m.conf");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->broker_id, 0);
}

TEST(BrokerConfigTest, BadNameServerAddressAndPortClashAreErrors) {
  auto config = ParseBrokerConfig(
      "namesrvAddr=host-without-port\nlistenPort=10911\n"
      "haListenPort=10911\n",
      "n.conf");
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(), HasSubstr("n.conf:1: namesrvAddr"));
  EXPECT_THAT(config.status().message(), HasSubstr("n.conf:3: haListenPort: equals listenPort"));
}

TEST(BrokerConfigTest, BindAddressDefaultsToEveryInterfaceAndTakesAnIpLiteral) {
  auto defaults = ParseBrokerConfig("", "empty.conf");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->bind_address, "0.0.0.0");  // NettyServerConfig's default
  EXPECT_TRUE(defaults->broker_ip1.empty());

  auto loopback = ParseBrokerConfig("bindAddress=127.0.0.1\nbrokerIP1=127.0.0.1\n", "b.conf");
  ASSERT_TRUE(loopback.ok()) << loopback.status().ToString();
  EXPECT_EQ(loopback->bind_address, "127.0.0.1");
  EXPECT_EQ(loopback->broker_ip1, "127.0.0.1");
  EXPECT_EQ(BrokerConfigToMap(*loopback).at("bindAddress"), "127.0.0.1");
  auto v6 = ParseBrokerConfig("bindAddress=::1\n", "b.conf");
  ASSERT_TRUE(v6.ok()) << v6.status().ToString();
  EXPECT_EQ(v6->bind_address, "::1");

  auto bad =
      ParseBrokerConfig("brokerName=b\nbindAddress=localhost\n", "b.conf", {{"listenPort", "1"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(),
              HasSubstr("b.conf:2: bindAddress: 'localhost' is not an IPv4 or IPv6 address"));
  auto empty = ParseBrokerConfig("", "b.conf", {{"bindAddress", ""}});
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("command line: bindAddress: must not be empty"));

  EXPECT_TRUE(IsWildcardAddress("0.0.0.0"));
  EXPECT_TRUE(IsWildcardAddress("::"));
  EXPECT_FALSE(IsWildcardAddress("127.0.0.1"));
}

TEST(BrokerConfigTest, WrittenPropertiesReadBackEqual) {
  auto config = ParseBrokerConfig(
      "brokerName=broker b\nbrokerId=2\nbrokerRole=SLAVE\nnamesrvAddr=a:1;b:2\n"
      "storePathRootDir=/tmp/x y\nflushDiskType=SYNC_FLUSH\n",
      "t.conf");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  std::string text = BrokerConfigToProperties(*config);
  EXPECT_THAT(text, HasSubstr("brokerRole=SLAVE\n"));
  EXPECT_THAT(text, HasSubstr("listenPort=10911\n"));
  auto again = ParseBrokerConfig(text, "written");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(BrokerConfigToMap(*again), BrokerConfigToMap(*config));
}

TEST(BrokerConfigTest, LoadsFromFile) {
  testing::TempDir dir;
  std::string path = dir.Sub("broker.conf");
  ASSERT_TRUE(store::WriteFileAtomically(store::FileSystem::Default(), path,
                                         "brokerName=fromfile\nbrokerId=x\n")
                  .ok());
  auto config = LoadBrokerConfig(store::FileSystem::Default(), path, {{"brokerId", "0"}});
  ASSERT_FALSE(config.ok());  // errors in the file are reported even if overridden later
  EXPECT_THAT(config.status().message(), HasSubstr(path + ":2: brokerId"));
  ASSERT_TRUE(
      store::WriteFileAtomically(store::FileSystem::Default(), path, "brokerName=ok\n").ok());
  config = LoadBrokerConfig(store::FileSystem::Default(), path);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->broker_name, "ok");
  EXPECT_FALSE(LoadBrokerConfig(store::FileSystem::Default(), dir.Sub("missing.conf")).ok());
}

}  // namespace
}  // namespace holdfast::broker
