// BrokerProcess against the real `holdfast standalone` (HOLDFAST_PROGRAM, built before this test).
#include "tools/bench/broker_process.h"
#include "tools/bench/process_stats.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "common/loopback_port.h"
#include "tests/support/temp_dir.h"

namespace holdfast::tools {
namespace {

TEST(BrokerProcessTest, StartsStandaloneMeasuresItAndStopsItCleanly) {
  testing::TempDir dir;
  BrokerProcessOptions o;
  o.program = HOLDFAST_PROGRAM;
  o.dir = dir.Sub("data");
  o.extra_args = {"--set", "mappedFileSizeCommitLog=16777216"};
  auto broker = BrokerProcess::Start(o);
  ASSERT_TRUE(broker.ok()) << broker.status().ToString();
  EXPECT_GT((*broker)->time_to_accept().count(), 0);
  EXPECT_GT((*broker)->time_to_boot_line().count(), 0);
  EXPECT_TRUE(AcceptsOnLoopback((*broker)->broker_port()));
  EXPECT_EQ((*broker)->namesrv_addr().rfind("127.0.0.1:", 0), 0u);
  auto memory = ReadProcessMemory((*broker)->pid());
  ASSERT_TRUE(memory.ok()) << memory.status().ToString();
  EXPECT_GT(memory->rss_anon_bytes, 0);

  const uint16_t port = (*broker)->broker_port();
  EXPECT_TRUE((*broker)->Stop().ok());
  EXPECT_FALSE(AcceptsOnLoopback(port));
  EXPECT_TRUE((*broker)->Stop().ok());  // idempotent
}

TEST(BrokerProcessTest, ProgramThatExitsBeforeBootingIsAnErrorNamingItsExit) {
  testing::TempDir dir;
  BrokerProcessOptions o;
  o.program = "/bin/false";
  o.dir = dir.Sub("data");
  auto broker = BrokerProcess::Start(o);
  ASSERT_FALSE(broker.ok());
  EXPECT_NE(broker.status().message().find("exit code 1"), std::string::npos)
      << broker.status().ToString();
}

}  // namespace
}  // namespace holdfast::tools
