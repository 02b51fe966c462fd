#include "tools/admin/dead_letter.h"

#include <charconv>
#include <iterator>

#include "common/message_id.h"
#include "common/topic_validator.h"
#include "tools/admin/topic_reader.h"

namespace holdfast::tools::admin {

namespace {

std::optional<std::string> Property(const MessageExt& msg, std::string_view key) {
  std::optional<std::string_view> value = FindProperty(msg.properties, key);
  if (!value) return std::nullopt;
  return std::string(*value);
}

}  // namespace

std::string DlqTopic(std::string_view group) {
  return std::string(kDlqGroupTopicPrefix) + std::string(group);
}

std::string RetryTopic(std::string_view group) {
  return std::string(kRetryGroupTopicPrefix) + std::string(group);
}

Result<std::vector<DeadLetterQueue>> FindDeadLetterQueues(AdminContext& ctx,
                                                          const std::string& group) {
  if (Status s = ValidateGroup(group); !s.ok()) return s;
  Result<std::map<std::string, std::string>> masters = ctx.AllMasterAddrs();
  if (!masters.ok()) return masters.status();
  std::vector<DeadLetterQueue> out;
  for (const auto& [name, addr] : *masters) {
    Result<std::optional<protocol::TopicStatsTable>> stats =
        FetchTopicStats(ctx, addr, DlqTopic(group));
    if (!stats.ok()) return stats.status();
    if (!stats->has_value()) continue;
    const int64_t depth = MessageCount(**stats);
    out.push_back(
        {.broker_name = name, .broker_addr = addr, .stats = std::move(**stats), .depth = depth});
  }
  return out;
}

std::string DeadLetter::MsgId() const {
  return Property(record, property::kUniqClientMessageIdKeyIndex).value_or(DlqMsgId());
}

std::string DeadLetter::DlqMsgId() const {
  return CreateOffsetMsgId(record.store_host, record.commit_log_offset);
}

std::optional<std::string> DeadLetter::OriginalTopic() const {
  return Property(record, property::kRetryTopic);
}

std::optional<std::string> DeadLetter::OriginMessageId() const {
  return Property(record, property::kOriginMessageId);
}

std::optional<int64_t> DeadLetter::FirstFailureTime() const {
  std::optional<std::string_view> text =
      FindProperty(record.properties, property::kHoldfastFirstFailureTime);
  if (!text) return std::nullopt;
  int64_t millis = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), millis);
  if (ec != std::errc() || end != text->data() + text->size() || millis <= 0) return std::nullopt;
  return millis;
}

std::string DeadLetter::BodyPreview(size_t max_chars) const {
  const std::string& body = record.body;
  std::string out;
  for (size_t i = 0; i < body.size() && i < max_chars; ++i) {
    const unsigned char c = static_cast<unsigned char>(body[i]);
    out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '.';
  }
  if (body.size() > max_chars) out += "...";
  return out;
}

Result<std::vector<DeadLetter>> ReadDeadLetters(AdminContext& ctx, const DeadLetterQueue& dlq) {
  Result<std::vector<MessageExt>> records = ReadTopic(ctx, dlq.broker_addr, dlq.stats);
  if (!records.ok()) return records.status();
  std::vector<DeadLetter> out;
  out.reserve(records->size());
  for (MessageExt& record : *records) {
    out.push_back({.broker_name = dlq.broker_name,
                   .broker_addr = dlq.broker_addr,
                   .record = std::move(record)});
  }
  return out;
}

Result<std::vector<DeadLetter>> ReadDeadLetters(AdminContext& ctx, const std::string& group) {
  Result<std::vector<DeadLetterQueue>> dlqs = FindDeadLetterQueues(ctx, group);
  if (!dlqs.ok()) return dlqs.status();
  std::vector<DeadLetter> out;
  for (const DeadLetterQueue& dlq : *dlqs) {
    Result<std::vector<DeadLetter>> letters = ReadDeadLetters(ctx, dlq);
    if (!letters.ok()) return letters.status();
    std::move(letters->begin(), letters->end(), std::back_inserter(out));
  }
  return out;
}

}  // namespace holdfast::tools::admin
