// The cluster benchmark's final table. The run itself is a benchmark and is not run here.
#include "tools/bench/cluster/cluster_verdicts.h"

#include <gtest/gtest.h>

#include <sstream>

namespace holdfast::tools {
namespace {

const VerdictRow& Row(const std::vector<VerdictRow>& rows, const std::string& figure,
                      const std::string& compared_prefix = "") {
  for (const VerdictRow& r : rows) {
    if (r.figure == figure && r.compared_with.rfind(compared_prefix, 0) == 0) return r;
  }
  static const VerdictRow kNone{"(no such row)", "", "", "", "", ""};
  ADD_FAILURE() << "no row " << figure << " / " << compared_prefix;
  return kNone;
}

ClusterFigures Complete() {
  ClusterFigures f;
  f.loopback_p50_us = 20;
  f.loopback_rate_64 = 200000;
  f.handoff_p50_us = 21;
  f.store_sync_rate_64 = 50000;
  f.fdatasync_p50_us = 100;
  f.ideal_group_commit_64 = 62500;
  f.sync.send_rate = 40000;  // 0.80 of the store, 1.33 of Redis
  f.sync.send_p50_us = 150;  // 1.5 x Redis's 100 us
  f.sync.e2e_p50_us = 400;
  f.sync.e2e_p99_us = 2000;
  f.sync.idle_rss_bytes = 20.0 * 1024 * 1024;
  f.sync.idle_rss_anon_bytes = 8.0 * 1024 * 1024;
  f.sync.accept_ms = 40;
  f.sync.cpu_us_per_send = 55;
  f.async.send_rate = 80000;
  f.async.send_p50_us = 60;
  f.async.e2e_p50_us = 300;
  f.async.e2e_p99_us = 900;
  f.async.idle_rss_bytes = 31.0 * 1024 * 1024;
  f.async.accept_ms = 150;
  f.redis_rate_64 = 30000;
  f.redis_p50_us_1 = 100;
  return f;
}

TEST(ClusterVerdictsTest, TargetsPassOrMissOnTheirRatios) {
  const std::vector<VerdictRow> rows = ClusterVerdicts(Complete());

  const VerdictRow& store = Row(rows, "SYNC_FLUSH send rate, 64 producers", "store-only");
  EXPECT_EQ(store.ratio, "0.80");
  EXPECT_EQ(store.target, ">= 0.60");
  EXPECT_EQ(store.result, "PASS");

  const VerdictRow& redis = Row(rows, "SYNC_FLUSH send rate, 64 producers", "Redis");
  EXPECT_EQ(redis.ratio, "1.33");
  EXPECT_EQ(redis.target, ">= 1.50");
  EXPECT_EQ(redis.result, "MISS");

  const VerdictRow& p50 = Row(rows, "SYNC_FLUSH send p50, 1 producer");
  EXPECT_EQ(p50.ratio, "1.50");
  EXPECT_EQ(p50.target, "<= 1.20");
  EXPECT_EQ(p50.result, "MISS");
  EXPECT_NE(p50.compared_with.find("100.0 us"), std::string::npos) << p50.compared_with;
}

TEST(ClusterVerdictsTest, LowerLatencyThanTheLimitPasses) {
  ClusterFigures f = Complete();
  f.sync.send_p50_us = 110;
  f.sync.send_rate = 46000;
  const std::vector<VerdictRow> rows = ClusterVerdicts(f);
  EXPECT_EQ(Row(rows, "SYNC_FLUSH send p50, 1 producer").result, "PASS");
  EXPECT_EQ(Row(rows, "SYNC_FLUSH send rate, 64 producers", "Redis").result, "PASS");
}

TEST(ClusterVerdictsTest, MemoryAndStartUpAreHeldUnderFixedLimits) {
  const std::vector<VerdictRow> rows = ClusterVerdicts(Complete());
  EXPECT_EQ(Row(rows, "idle broker RSS (SYNC_FLUSH)").result, "PASS");
  EXPECT_EQ(Row(rows, "idle broker RSS (SYNC_FLUSH)").value, "20.0 MiB");
  EXPECT_EQ(Row(rows, "idle broker RSS (SYNC_FLUSH)").target, "< 30.0 MiB");
  EXPECT_EQ(Row(rows, "idle broker RSS (ASYNC_FLUSH)").result, "MISS");
  EXPECT_EQ(Row(rows, "idle broker RSS, anonymous only (SYNC_FLUSH)").value, "8.0 MiB");
  EXPECT_EQ(Row(rows, "idle broker RSS, anonymous only (SYNC_FLUSH)").result, "info");
  EXPECT_EQ(Row(rows, "idle broker RSS, anonymous only (ASYNC_FLUSH)").result, "n/a");
  EXPECT_EQ(Row(rows, "spawn -> accepting, empty store (SYNC_FLUSH)").result, "PASS");
  const VerdictRow& slow = Row(rows, "spawn -> accepting, empty store (ASYNC_FLUSH)");
  EXPECT_EQ(slow.result, "MISS");
  EXPECT_EQ(slow.ratio, "1.50");
}

TEST(ClusterVerdictsTest, InformationalRowsHaveNoTarget) {
  const std::vector<VerdictRow> rows = ClusterVerdicts(Complete());
  const VerdictRow& e2e = Row(rows, "SYNC_FLUSH e2e p50 (produce -> consume)");
  EXPECT_EQ(e2e.result, "info");
  EXPECT_EQ(e2e.target, "-");
  EXPECT_EQ(e2e.ratio, "20.00");  // 400 us against the loopback's 20 us
  EXPECT_EQ(Row(rows, "loopback ping-pong p50, 1 connection").result, "info");
  const VerdictRow& store = Row(rows, "store-only SYNC_FLUSH 64 in flight", "ideal group commit");
  EXPECT_EQ(store.ratio, "0.80");
  EXPECT_EQ(store.result, "info");
  EXPECT_EQ(Row(rows, "thread hand-off p50").value, "21.0 us");
  EXPECT_EQ(Row(rows, "thread hand-off p50").result, "info");
  EXPECT_EQ(Row(rows, "SYNC_FLUSH CPU per send, broker + bench, 64 producers").value, "55.0 us");
  EXPECT_EQ(Row(rows, "ASYNC_FLUSH CPU per send, broker + bench, 64 producers").result, "n/a");
}

TEST(ClusterVerdictsTest, MissingFiguresAreNotApplicableNotFailures) {
  ClusterFigures f = Complete();
  f.redis_rate_64.reset();  // --skip-redis
  f.redis_p50_us_1.reset();
  f.store_sync_rate_64.reset();  // --skip-store
  f.async = {};                  // the broker did not boot
  const std::vector<VerdictRow> rows = ClusterVerdicts(f);
  const VerdictRow& redis = Row(rows, "SYNC_FLUSH send rate, 64 producers", "Redis");
  EXPECT_EQ(redis.result, "n/a");
  EXPECT_EQ(redis.ratio, "-");
  EXPECT_EQ(Row(rows, "SYNC_FLUSH send rate, 64 producers", "store-only").result, "n/a");
  EXPECT_EQ(Row(rows, "SYNC_FLUSH send p50, 1 producer").result, "n/a");
  EXPECT_EQ(Row(rows, "idle broker RSS (ASYNC_FLUSH)").result, "n/a");
  EXPECT_EQ(Row(rows, "idle broker RSS (ASYNC_FLUSH)").value, "-");
}

TEST(ClusterVerdictsTest, PrintedTableHoldsEveryRow) {
  const std::vector<VerdictRow> rows = ClusterVerdicts(Complete());
  std::ostringstream out;
  PrintVerdicts(rows, out);
  const std::string text = out.str();
  EXPECT_NE(text.find("compared with"), std::string::npos);
  for (const VerdictRow& r : rows) EXPECT_NE(text.find(r.figure), std::string::npos) << r.figure;
}

}  // namespace
}  // namespace holdfast::tools
