// The put-time step that sends a delayed message to SCHEDULE_TOPIC_XXXX (docs/protocol.md §8.2,
// as RocketMQ 4.9.7's CommitLog.asyncPutMessage): every put goes through it, whoever makes it
// (a producer's send, a consumer's send-back, a send to a %RETRY% topic), so each gets the same
// treatment. The schedule service (schedule_message_service.h) later puts the message back to
// its real topic.
//
// Pure functions; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "common/message.h"
#include "common/status.h"
#include "store/schedule/delay_level_table.h"
#include "store/timer/timer_routing.h"

namespace holdfast::store::schedule {

inline constexpr std::string_view kScheduleTopic = "SCHEDULE_TOPIC_XXXX";
// True for the topics a message waits in before it is put to its REAL_TOPIC.
inline bool IsWaitingTopic(std::string_view topic) {
  return topic == kScheduleTopic || topic == timer::kTimerTopic;
}

// For each message whose DELAY level is above 0 and whose transaction type is NOT or COMMIT:
// lowers a level above levels.max_level() to it, sets REAL_TOPIC and REAL_QID to the message's
// topic and queue, removes the timer properties (a DELAY level wins), and moves it to
// SCHEDULE_TOPIC_XXXX, queue level - 1. Other messages are left as they are.
// InvalidArgument (the store answers MESSAGE_ILLEGAL), with nothing changed, for a batch (more
// than one message) of which one has a DELAY level above 0, and for a DELAY that is not a number.
Status RouteDelayedMessages(const DelayLevelTable& levels, std::vector<MessageExt>& msgs);

// The message a due delayed one becomes (the schedule service's re-put): topic REAL_TOPIC, queue
// REAL_QID, properties without DELAY, the timer properties and WAIT (REAL_TOPIC and REAL_QID
// stay); body, flag, sysFlag, born time and host, store host, reconsumeTimes and UNIQ_KEY as
// stored. InvalidArgument when REAL_TOPIC is missing or REAL_QID is not a queue id.
Result<MessageExt> MakeDeliveredMessage(const MessageExt& waiting);

}  // namespace holdfast::store::schedule
