#include "common/topic_validator.h"

#include <fmt/format.h>

namespace holdfast {

namespace {

bool IsLegalChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '%' ||
         c == '|' || c == '_' || c == '-';
}

Status ValidateName(std::string_view kind, std::string_view name, size_t max_len) {
  if (name.empty()) return Status::InvalidArgument(fmt::format("{} name is empty", kind));
  if (name.size() > max_len) {
    return Status::InvalidArgument(fmt::format("{} name '{}' is {} characters, more than {}", kind,
                                               name, name.size(), max_len));
  }
  for (char c : name) {
    if (!IsLegalChar(c)) {
      return Status::InvalidArgument(fmt::format(
          "{} name '{}' has an illegal character; only [%|a-zA-Z0-9_-] are allowed", kind, name));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateTopic(std::string_view topic) {
  bool retry_or_dlq =
      topic.starts_with(kRetryGroupTopicPrefix) || topic.starts_with(kDlqGroupTopicPrefix);
  return ValidateName("topic", topic, retry_or_dlq ? kRetryOrDlqTopicMaxLength : kTopicMaxLength);
}

Status ValidateGroup(std::string_view group) {
  return ValidateName("group", group, kGroupMaxLength);
}

}  // namespace holdfast
