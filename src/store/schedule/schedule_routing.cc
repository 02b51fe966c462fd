#include "store/schedule/schedule_routing.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <optional>
#include <string>

namespace holdfast::store::schedule {

namespace {

// A whole decimal number, or nullopt.
std::optional<int64_t> ParseInteger(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The DELAY level of msg, 0 when it has none; InvalidArgument when it is not a number.
Result<int64_t> DelayLevelOf(const MessageExt& msg, size_t index, size_t count) {
  std::optional<std::string_view> text = FindProperty(msg.properties, property::kDelayTimeLevel);
  if (!text) return int64_t{0};
  std::optional<int64_t> level = ParseInteger(*text);
  if (!level) {
    return Status::InvalidArgument(
        fmt::format("{}has property {}={}, which is not a delay level",
                    count > 1 ? fmt::format("message {} of the batch ", index + 1) : "the message ",
                    property::kDelayTimeLevel, *text));
  }
  return *level;
}

bool DeliveredLater(int32_t sys_flag) {
  const int32_t tx = sysflag::TransactionValue(sys_flag);
  return tx == sysflag::kTransactionNotType || tx == sysflag::kTransactionCommitType;
}

}  // namespace

Status RouteDelayedMessages(const DelayLevelTable& levels, std::vector<MessageExt>& msgs) {
  for (size_t i = 0; i < msgs.size(); ++i) {
    MessageExt& msg = msgs[i];
    // The common case costs one property scan.
    if (!FindProperty(msg.properties, property::kDelayTimeLevel)) continue;
    Result<int64_t> level = DelayLevelOf(msg, i, msgs.size());
    if (!level.ok()) return level.status();
    if (*level <= 0 || !DeliveredLater(msg.sys_flag)) continue;
    if (msgs.size() > 1) {
      return Status::InvalidArgument(
          fmt::format("message {} of a batch of {} has delay level {}: a batch cannot be delayed",
                      i + 1, msgs.size(), *level));
    }
    const int32_t routed = static_cast<int32_t>(std::min<int64_t>(*level, levels.max_level()));
    PropertyMap props = DecodeProperties(msg.properties);
    props[std::string(property::kDelayTimeLevel)] = std::to_string(routed);
    props[std::string(property::kRealTopic)] = msg.topic;
    props[std::string(property::kRealQueueId)] = std::to_string(msg.queue_id);
    for (std::string_view key : timer::kTimerPropertyKeys) {
      if (auto it = props.find(key); it != props.end()) props.erase(it);
    }
    msg.properties = EncodeProperties(props);
    msg.topic = std::string(kScheduleTopic);
    msg.queue_id = routed - 1;
  }
  return Status::Ok();
}

Result<MessageExt> MakeDeliveredMessage(const MessageExt& waiting) {
  PropertyMap props = DecodeProperties(waiting.properties);
  auto topic = props.find(property::kRealTopic);
  if (topic == props.end()) {
    return Status::InvalidArgument(fmt::format("message at commit-log offset {} in {} has no {}",
                                               waiting.commit_log_offset, waiting.topic,
                                               property::kRealTopic));
  }
  auto qid = props.find(property::kRealQueueId);
  std::optional<int64_t> queue_id = qid == props.end() ? std::nullopt : ParseInteger(qid->second);
  if (!queue_id || *queue_id < 0 || *queue_id > INT32_MAX) {
    return Status::InvalidArgument(
        fmt::format("message at commit-log offset {} in {} has {}={}, which is not a queue id",
                    waiting.commit_log_offset, waiting.topic, property::kRealQueueId,
                    qid == props.end() ? "(none)" : qid->second));
  }
  MessageExt out = waiting;
  out.topic = topic->second;
  out.queue_id = static_cast<int32_t>(*queue_id);
  for (std::string_view key : {property::kDelayTimeLevel, property::kWaitStoreMsgOk}) {
    if (auto it = props.find(key); it != props.end()) props.erase(it);
  }
  for (std::string_view key : timer::kTimerPropertyKeys) {
    if (auto it = props.find(key); it != props.end()) props.erase(it);
  }
  out.properties = EncodeProperties(props);
  out.queue_offset = 0;
  out.commit_log_offset = 0;
  out.store_timestamp = 0;
  out.body_crc = 0;
  out.store_size = 0;
  return out;
}

}  // namespace holdfast::store::schedule
