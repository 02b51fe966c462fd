// Text forms shared by the admin commands, as mqadmin prints them.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace holdfast::tools::admin {

// UtilAll.timeMillisToHumanString2 in local time: "2024-01-31 23:59:59,123".
std::string TimeMillisToHumanString(int64_t millis);

}  // namespace holdfast::tools::admin
