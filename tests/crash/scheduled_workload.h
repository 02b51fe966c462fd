// The workload of schedule_crash_test: messages that wait in the store before they are delivered
// to their real topic, written by schedule_crash_child (killed with SIGKILL at random points) and
// checked by the test after the last kill. Every message is a pure function of its MessageId
// (crash_workload.h) and its kind, so the checker knows from a delivered record's KEYS what it
// must hold and when it may arrive at the earliest.
//
// Extending it: a new way of waiting (a timer message, a consumer's retry) is one more
// ScheduledKind, with its properties in ScheduledMessageFor and its earliest delivery time in
// EarliestDelivery; the child and the checker need no change beyond starting whatever service
// delivers it.
#pragma once

#include <string>
#include <string_view>

#include "common/message.h"
#include "store/message_store_config.h"
#include "store/schedule/delay_level_table.h"
#include "tests/crash/crash_workload.h"

namespace holdfast::crash {

inline constexpr std::string_view kScheduledTopic = "CrashDelayed";
inline constexpr std::string_view kScheduledDelayLevels = "1s 1s 2s";

enum class ScheduledKind {
  kDelayLevel,  // DELAY = 1 + seq % 3 (ScheduleMessageService)
};

// The kinds the child writes, in turn by seq.
inline constexpr ScheduledKind kScheduledKinds[] = {ScheduledKind::kDelayLevel};

inline ScheduledKind ScheduledKindFor(int64_t seq) {
  constexpr size_t n = sizeof(kScheduledKinds) / sizeof(kScheduledKinds[0]);
  return kScheduledKinds[static_cast<size_t>(seq) % n];
}

inline int32_t DelayLevelFor(int64_t seq) { return 1 + static_cast<int32_t>(seq % 3); }

// SYNC_FLUSH (every acknowledged put and every re-put is durable when answered), small segments,
// short delay levels, and delayOffset.json written often so kills land around its writes.
inline store::MessageStoreConfig ScheduledCrashStoreConfig(const std::string& dir) {
  store::MessageStoreConfig config = CrashStoreConfig(dir, CrashMode::kSyncPut);
  config.message_delay_level = std::string(kScheduledDelayLevels);
  config.flush_delay_offset_interval = 100;
  return config;
}

inline MessageExt ScheduledMessageFor(const MessageId& id) {
  MessageExt m = MessageFor(id);
  m.topic = std::string(kScheduledTopic);
  PropertyMap props = DecodeProperties(m.properties);
  switch (ScheduledKindFor(id.seq)) {
    case ScheduledKind::kDelayLevel:
      props[std::string(property::kDelayTimeLevel)] = std::to_string(DelayLevelFor(id.seq));
      break;
  }
  m.properties = EncodeProperties(props);
  return m;
}

// The earliest store time the delivered copy may have, given the waiting one's store time.
inline int64_t EarliestDelivery(const MessageId& id, int64_t stored_at) {
  switch (ScheduledKindFor(id.seq)) {
    case ScheduledKind::kDelayLevel: {
      static const store::schedule::DelayLevelTable levels =
          store::schedule::DelayLevelTable::Parse(kScheduledDelayLevels).value();
      return levels.DeliverTimestamp(DelayLevelFor(id.seq), stored_at);
    }
  }
  return stored_at;
}

}  // namespace holdfast::crash
