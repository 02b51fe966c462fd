// Put-time routing of timer messages (RocketMQ 5.x semantics, docs/protocol.md §8.2 last bullet;
// docs/timer.md). A message carrying a delivery time is not stored in its own topic but in
// rmq_sys_wheel_timer queue 0, remembering where it belongs (REAL_TOPIC, REAL_QID) and when it is
// due (TIMER_OUT_MS, epoch ms); TimerMessageStore delivers it there once due.
//
// The delivery time comes from the first of these properties present:
//   TIMER_DELIVER_MS    absolute, epoch ms
//   TIMER_DELAY_SEC     relative to the put, seconds
//   TIMER_DELAY_MS      relative to the put, ms
//   __STARTDELIVERTIME  absolute, epoch ms (Aliyun ONS)
// A DELAY level above 0 wins: the timer properties are then removed and the message is left to the
// delay-level routing. A due time already past is delivered at the next tick. Refused (nothing is
// stored): a value that is not a whole number, a negative one, a due time more than
// timerMaxDelaySec ahead, a timer message while timerWheelEnable is off, and a batch holding one.
//
// Stateless; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/message.h"
#include "common/status.h"
#include "store/message_store_config.h"
#include "store/put_message_result.h"

namespace holdfast::store::timer {

inline constexpr std::string_view kTimerTopic = "rmq_sys_wheel_timer";

// The properties a re-delivered message loses (the timer ones and TIMER_OUT_MS).
inline constexpr std::string_view kTimerPropertyKeys[] = {
    property::kTimerDeliverMs, property::kTimerDelaySec, property::kTimerDelayMs,
    property::kStartDeliverTime, property::kTimerOutMs};

// What the properties ask for: no timer (nullopt), or the due time, or why they are refused.
struct TimerRequest {
  int64_t due_ms = 0;
  std::string error;  // non-empty: refused; names the property, its value and the limit
};
// `now_ms` is the put time. Ignores a message whose DELAY level is above 0 (the caller strips its
// timer properties). `what` names the message in errors ("the message", "message 3 of the batch").
std::optional<TimerRequest> ParseTimerRequest(std::string_view properties,
                                              const MessageStoreConfig& config, int64_t now_ms,
                                              std::string_view what = "the message");

// The one step MessageStore::PutMessages / PutMessagesAsync run before appending: rewrites each
// timer message of `msgs` as described above. Returns the refusal (kMessageIllegal, with the
// error) when the put must not go ahead, else nullopt.
std::optional<PutMessageResult> RouteTimerMessages(std::vector<MessageExt>* msgs,
                                                   const MessageStoreConfig& config,
                                                   int64_t now_ms);

// The message to store in REAL_TOPIC / REAL_QID for a timer record read back from the commit log:
// same body, flag, sysFlag, born time and host, store host, reconsumeTimes and UNIQ_KEY; without
// the timer properties, TIMER_OUT_MS and WAIT (so the re-put waits for SYNC_FLUSH). InvalidArgument
// when the record has no usable REAL_TOPIC / REAL_QID.
Result<MessageExt> ToDeliverable(const MessageExt& stored);

}  // namespace holdfast::store::timer
