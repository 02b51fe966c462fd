#include "tools/limits/redis_benchmark_csv.h"

#include <gtest/gtest.h>

namespace holdfast::tools {
namespace {

TEST(RedisBenchmarkCsvTest, ParsesRedisBenchmark7Csv) {
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
