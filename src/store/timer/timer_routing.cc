#include "store/timer/timer_routing.h"

#include <fmt/format.h>

#include <charconv>

#include "store/schedule/schedule_routing.h"

namespace holdfast::store::timer {

namespace {

// How each timer property turns into a due time.
enum class Unit { kAbsoluteMs, kRelativeSec, kRelativeMs };
struct TimerKey {
  std::string_view key;
  Unit unit;
};
constexpr TimerKey kTimerKeys[] = {{property::kTimerDeliverMs, Unit::kAbsoluteMs},
                                   {property::kTimerDelaySec, Unit::kRelativeSec},
                                   {property::kTimerDelayMs, Unit::kRelativeMs},
                                   {property::kStartDeliverTime, Unit::kAbsoluteMs}};

std::optional<int64_t> ParseWhole(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool HasDelayLevel(std::string_view properties) {
  std::optional<std::string_view> level = FindProperty(properties, property::kDelayTimeLevel);
  if (!level) return false;
  std::optional<int64_t> n = ParseWhole(*level);
  return n && *n > 0;
}

std::string DropTimerProperties(std::string_view properties, bool also_wait) {
  PropertyMap props = DecodeProperties(properties);
  for (std::string_view key : kTimerPropertyKeys) {
    if (auto it = props.find(key); it != props.end()) props.erase(it);
  }
  if (also_wait) {
    if (auto it = props.find(property::kWaitStoreMsgOk); it != props.end()) props.erase(it);
  }
  return EncodeProperties(props);
}

bool HasTimerProperty(std::string_view properties) {
  for (const TimerKey& k : kTimerKeys) {
    if (FindProperty(properties, k.key)) return true;
  }
  return false;
}

PutMessageResult Refused(std::string error) {
  PutMessageResult r;
  r.status = PutMessageStatus::kMessageIllegal;
  r.error = std::move(error);
  return r;
}

}  // namespace

std::optional<TimerRequest> ParseTimerRequest(std::string_view properties,
                                              const MessageStoreConfig& config, int64_t now_ms,
                                              std::string_view what) {
  if (HasDelayLevel(properties)) return std::nullopt;
  for (const TimerKey& k : kTimerKeys) {
    std::optional<std::string_view> text = FindProperty(properties, k.key);
    if (!text) continue;
    TimerRequest req;
    std::optional<int64_t> value = ParseWhole(*text);
    if (!value) {
      req.error = fmt::format("{} has property {}={}, which is not a whole number of {}", what,
                              k.key, *text, k.unit == Unit::kRelativeSec ? "seconds" : "ms");
      return req;
    }
    if (*value < 0) {
      req.error = fmt::format("{} has property {}={}, which is negative", what, k.key, *text);
      return req;
    }
    if (!config.timer_wheel_enable) {
      req.error = fmt::format("{} has property {}={}, but timerWheelEnable is false on this broker",
                              what, k.key, *text);
      return req;
    }
    const int64_t max_ms = config.timer_max_delay_sec * 1000;
    // Compared before converting, so that no huge value overflows.
    int64_t ahead_ms = 0;
    switch (k.unit) {
      case Unit::kAbsoluteMs:
        ahead_ms = *value - now_ms;
        break;
      case Unit::kRelativeSec:
        ahead_ms = *value > config.timer_max_delay_sec ? max_ms + 1 : *value * 1000;
        break;
      case Unit::kRelativeMs:
        ahead_ms = *value;
        break;
    }
    if (ahead_ms > max_ms) {
      req.error = fmt::format(
          "{} has property {}={}, a delivery time {} s ahead, beyond timerMaxDelaySec {} s", what,
          k.key, *text, k.unit == Unit::kRelativeSec ? *value : ahead_ms / 1000,
          config.timer_max_delay_sec);
      return req;
    }
    req.due_ms = now_ms + ahead_ms;
    return req;
  }
  return std::nullopt;
}

std::optional<PutMessageResult> RouteTimerMessages(std::vector<MessageExt>* msgs,
                                                   const MessageStoreConfig& config,
                                                   int64_t now_ms) {
  if (msgs->size() > 1) {
    for (size_t i = 0; i < msgs->size(); ++i) {
      if (!HasTimerProperty((*msgs)[i].properties)) continue;
      if (HasDelayLevel((*msgs)[i].properties)) continue;  // the delay routing judges it
      return Refused(fmt::format(
          "message {} of the batch has a timer property; a batch cannot carry a delivery time", i));
    }
    return std::nullopt;
  }
  MessageExt& msg = msgs->front();
  if (msg.topic == kTimerTopic) return std::nullopt;  // already routed (an internal put)
  const int32_t tx = sysflag::TransactionValue(msg.sys_flag);
  if (tx != sysflag::kTransactionNotType && tx != sysflag::kTransactionCommitType) {
    return std::nullopt;  // a half message is delivered by its commit, not by the wheel
  }
  if (HasDelayLevel(msg.properties)) {
    if (HasTimerProperty(msg.properties)) {
      msg.properties = DropTimerProperties(msg.properties, false);
    }
    return std::nullopt;
  }
  std::optional<TimerRequest> req = ParseTimerRequest(msg.properties, config, now_ms);
  if (!req) return std::nullopt;
  if (!req->error.empty()) return Refused(std::move(req->error) + "; nothing was stored");
  PropertyMap props = DecodeProperties(msg.properties);
  props[std::string(property::kRealTopic)] = msg.topic;
  props[std::string(property::kRealQueueId)] = std::to_string(msg.queue_id);
  props[std::string(property::kTimerOutMs)] = std::to_string(req->due_ms);
  msg.properties = EncodeProperties(props);
  msg.topic = std::string(kTimerTopic);
  msg.queue_id = 0;
  return std::nullopt;
}

Result<MessageExt> ToDeliverable(const MessageExt& stored) {
  // The same re-put as a due delay-level message's (it drops TIMER_OUT_MS and the timer keys too).
  return schedule::MakeDeliveredMessage(stored);
}

}  // namespace holdfast::store::timer
