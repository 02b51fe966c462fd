#include "tools/limits/loopback_limits.h"

#include <gtest/gtest.h>

namespace holdfast::tools {
namespace {

TEST(LoopbackLimitsTest, OneConnectionMakesEveryRoundTripOfItsBudget) {
  LoopbackPingPongOptions o;
  o.connections = 1;
  o.round_trips_per_connection = 50;
  o.seconds = 60;  // the budget ends it, not the clock
  auto r = MeasureLoopbackPingPong(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->connections, 1);
  EXPECT_EQ(r->round_trips, 50u);
  EXPECT_EQ(r->latency.count, 50u);
  EXPECT_GT(r->round_trips_per_sec, 0);
  EXPECT_GT(r->latency.p50_ns, 0);
  EXPECT_GE(r->latency.p99_ns, r->latency.p50_ns);
}

TEST(LoopbackLimitsTest, ConnectionsAddUpToOneAggregateRate) {
  LoopbackPingPongOptions o;
  o.connections = 8;
  o.request_bytes = 100000;  // more than one segment: partial reads are reassembled
  o.reply_bytes = 64;
  o.round_trips_per_connection = 20;
  o.seconds = 60;
  auto r = MeasureLoopbackPingPong(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->round_trips, 8u * 20u);
  EXPECT_GT(r->round_trips_per_sec, 0);
  EXPECT_GT(r->seconds, 0);
}

TEST(LoopbackLimitsTest, ShortDeadlineStopsUnboundedClients) {
  LoopbackPingPongOptions o;
  o.connections = 2;
  o.seconds = 0.05;
  auto r = MeasureLoopbackPingPong(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GT(r->round_trips, 0u);
  EXPECT_GT(r->round_trips_per_sec, 0);
}

TEST(LoopbackLimitsTest, RejectsOptionsOutOfRange) {
  LoopbackPingPongOptions o;
  o.connections = 0;
  auto r = MeasureLoopbackPingPong(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("connections 0"), std::string::npos);

  o.connections = 1;
  o.reply_bytes = 0;
  EXPECT_FALSE(MeasureLoopbackPingPong(o).ok());

  o.reply_bytes = 64;
  o.seconds = 0;
  EXPECT_FALSE(MeasureLoopbackPingPong(o).ok());
}

}  // namespace
}  // namespace holdfast::tools
