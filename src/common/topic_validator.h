// RocketMQ's topic and group name rules (TopicValidator): characters [%|a-zA-Z0-9_-], a topic at
// most 127 characters, retry and DLQ topics at most 255, a group at most 120.
#pragma once

#include <string_view>

#include "common/status.h"

namespace holdfast {

inline constexpr std::string_view kRetryGroupTopicPrefix = "%RETRY%";
inline constexpr std::string_view kDlqGroupTopicPrefix = "%DLQ%";
inline constexpr size_t kTopicMaxLength = 127;
inline constexpr size_t kRetryOrDlqTopicMaxLength = 255;
inline constexpr size_t kGroupMaxLength = 120;

// InvalidArgument naming the topic and the rule it breaks.
Status ValidateTopic(std::string_view topic);
Status ValidateGroup(std::string_view group);

}  // namespace holdfast
