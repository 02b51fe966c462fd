// BrokerProcess against the real `holdfast standalone` (HOLDFAST_PROGRAM, built before this test).
#include "tools/bench/broker_process.h"

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

TEST(BrokerProcessTest, ProcessMemoryReadsRssAndItsPartsAndNamesAMissingProcess) {
  auto self = ReadProcessMemory(::getpid());
  ASSERT_TRUE(self.ok()) << self.status().ToString();
  EXPECT_GT(self->rss_anon_bytes, 0);
  EXPECT_GT(self->rss_file_bytes, 0);  // this program's code at least
  EXPECT_GE(self->rss_bytes, self->rss_anon_bytes);
  auto missing = ReadProcessMemory(-5);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound());
}

TEST(ProcessCpuTest, OwnCpuTimeGrowsWithWork) {
  auto before = ReadProcessCpuSeconds(::getpid());
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  // Burn CPU until the kernel's tick-granular account moves (at most a few ticks).
  volatile uint64_t x = 0;
  Result<double> after = *before;
  for (int round = 0; round < 10000 && *after <= *before; ++round) {
    for (int i = 0; i < 1000000; ++i) x = x + static_cast<uint64_t>(i);
    after = ReadProcessCpuSeconds(::getpid());
    ASSERT_TRUE(after.ok());
  }
  EXPECT_GT(*after, *before);
}

TEST(ProcessCpuTest, MissingProcessIsNotFound) {
  auto r = ReadProcessCpuSeconds(-1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace holdfast::tools
