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

TEST(RedisPeerTest, ParsesRedisBenchmark7Csv) {
  auto r = ParseRedisBenchmarkCsv(
      "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\","
      "\"p95_latency_ms\",\"p99_latency_ms\",\"max_latency_ms\"\n"
      "\"XADD s * f x\",\"429.18\",\"4.554\",\"0.176\",\"3.983\",\"11.567\",\"15.911\","
      "\"23.519\"\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_DOUBLE_EQ(r->requests_per_second, 429.18);
  EXPECT_DOUBLE_EQ(r->avg_latency_ms, 4.554);
  EXPECT_DOUBLE_EQ(r->p50_latency_ms, 3.983);
  EXPECT_DOUBLE_EQ(r->p99_latency_ms, 15.911);
  EXPECT_DOUBLE_EQ(r->max_latency_ms, 23.519);

  // redis-benchmark 6 printed only "test","rps".
  auto old = ParseRedisBenchmarkCsv("\"test\",\"rps\"\n\"XADD\",\"100.0\"\n");
  ASSERT_FALSE(old.ok());
  EXPECT_NE(old.status().ToString().find("avg_latency_ms"), std::string::npos);
  EXPECT_FALSE(ParseRedisBenchmarkCsv("").ok());
  EXPECT_FALSE(ParseRedisBenchmarkCsv("\"test\",\"rps\"\n").ok());
  auto bad = ParseRedisBenchmarkCsv(
      "\"test\",\"rps\",\"avg_latency_ms\",\"p50_latency_ms\",\"p99_latency_ms\","
      "\"max_latency_ms\"\n\"X\",\"fast\",\"1\",\"1\",\"1\",\"1\"\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().ToString().find("fast"), std::string::npos);
}

}  // namespace
}  // namespace holdfast::tools
