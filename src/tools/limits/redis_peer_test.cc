// RedisPeer against the real redis-server and redis-benchmark (Debian packages redis-server and
// redis-tools, installed by scripts/install-deps.sh).
#include "tools/limits/redis_peer.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace holdfast::tools {
namespace {

TEST(RedisPeerTest, XaddBenchmarkGivesPositiveFiguresAndStopCleansUp) {
  auto peer = RedisPeer::Start();
  ASSERT_TRUE(peer.ok()) << peer.status().ToString();
  const std::string dir = (*peer)->dir();
  EXPECT_GT((*peer)->port(), 0);
  EXPECT_TRUE(std::filesystem::exists(dir + "/redis-server.log"));

  RedisXaddOptions options;
  options.clients = 4;
  options.requests = 200;
  auto result = (*peer)->RunXadd(options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_GT(result->requests_per_second, 0);
  EXPECT_GT(result->p50_latency_ms, 0);
  EXPECT_GE(result->p99_latency_ms, result->p50_latency_ms);
  EXPECT_GE(result->max_latency_ms, result->p99_latency_ms);
  // Durable appends: the AOF (appendonlydir in Redis 7) holds the stream.
  EXPECT_TRUE(std::filesystem::exists(dir + "/appendonlydir"));

  EXPECT_FALSE((*peer)->RunXadd({.clients = 0}).ok());
  ASSERT_TRUE((*peer)->Stop().ok());
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_TRUE((*peer)->Stop().ok());  // idempotent
}

TEST(RedisPeerTest, MissingProgramIsAClearError) {
  RedisPeerOptions options;
  options.redis_server = "holdfast-no-such-redis-server";
  auto peer = RedisPeer::Start(options);
  ASSERT_FALSE(peer.ok());
  EXPECT_NE(peer.status().ToString().find("holdfast-no-such-redis-server"), std::string::npos)
      << peer.status().ToString();
}

}  // namespace
}  // namespace holdfast::tools
