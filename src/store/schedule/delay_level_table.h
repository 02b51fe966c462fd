// The delay levels of `messageDelayLevel` (docs/protocol.md §8.2): level n (1-based) waits the n-th
// duration of the list. "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h" by default;
// each token is a positive whole number with one suffix of s, m, h or d.
//
// Immutable once parsed; safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace holdfast::store::schedule {

inline constexpr std::string_view kDefaultMessageDelayLevel =
    "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h";

class DelayLevelTable {
 public:
  // The default table.
  DelayLevelTable();

  // Parses a space-separated list. InvalidArgument naming the token (and its position) when one
  // is not <number><s|m|h|d>, and when the list is empty.
  static Result<DelayLevelTable> Parse(std::string_view text);

  // The highest level (the number of durations).
  int32_t max_level() const { return static_cast<int32_t>(delays_ms_.size()); }
  // The delay of `level` in milliseconds; a level above max_level() is the highest one's, a level
  // below 1 is the first one's.
  int64_t DelayMillis(int32_t level) const;
  // When a message of `level` stored at `store_timestamp` is due (RocketMQ's
  // computeDeliverTimestamp): the consume-queue tags code of a SCHEDULE_TOPIC_XXXX entry.
  int64_t DeliverTimestamp(int32_t level, int64_t store_timestamp) const {
    return store_timestamp + DelayMillis(level);
  }

 private:
  explicit DelayLevelTable(std::vector<int64_t> delays_ms) : delays_ms_(std::move(delays_ms)) {}

  std::vector<int64_t> delays_ms_;  // index level - 1
};

}  // namespace holdfast::store::schedule
