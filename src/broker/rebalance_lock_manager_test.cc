#include "broker/rebalance_lock_manager.h"

#include <gtest/gtest.h>

namespace holdfast::broker {
namespace {

using namespace std::chrono_literals;

const MessageQueue kQ0{"T", "broker-a", 0};
const MessageQueue kQ1{"T", "broker-a", 1};

TEST(RebalanceLockManagerTest, OneOwnerUntilExpiry) {
  RebalanceLockManager locks(60s);
  const auto t0 = RebalanceLockManager::Clock::now();
  EXPECT_EQ(locks.TryLockBatch("G", {kQ0, kQ1}, "c1", t0), (std::set<MessageQueue>{kQ0, kQ1}));
  // Held by c1: c2 gets nothing, c1 renews.
  EXPECT_TRUE(locks.TryLockBatch("G", {kQ0, kQ1}, "c2", t0 + 30s).empty());
  EXPECT_EQ(locks.TryLockBatch("G", {kQ0}, "c1", t0 + 50s), (std::set<MessageQueue>{kQ0}));
  // Another group is independent.
  EXPECT_EQ(locks.TryLockBatch("H", {kQ0}, "c2", t0 + 50s).size(), 1u);
  // kQ1 last renewed at t0 expires after 60 s; kQ0 (renewed at t0+50s) does not.
  EXPECT_EQ(locks.TryLockBatch("G", {kQ0, kQ1}, "c2", t0 + 61s), (std::set<MessageQueue>{kQ1}));
  EXPECT_EQ(locks.LockOwner("G", kQ0, t0 + 61s), "c1");
  EXPECT_EQ(locks.LockOwner("G", kQ1, t0 + 61s), "c2");
  EXPECT_FALSE(locks.LockOwner("G", kQ0, t0 + 111s).has_value());
}

TEST(RebalanceLockManagerTest, UnlockReleasesOnlyTheOwnersLocks) {
  RebalanceLockManager locks;
  locks.TryLockBatch("G", {kQ0}, "c1");
  locks.TryLockBatch("G", {kQ1}, "c2");
  locks.UnlockBatch("G", {kQ0, kQ1}, "c1");
  EXPECT_FALSE(locks.LockOwner("G", kQ0).has_value());
  EXPECT_EQ(locks.LockOwner("G", kQ1), "c2");
  EXPECT_EQ(locks.TryLockBatch("G", {kQ0}, "c3").size(), 1u);
}

}  // namespace
}  // namespace holdfast::broker
