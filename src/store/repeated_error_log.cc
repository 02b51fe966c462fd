#include "store/repeated_error_log.h"

#include <spdlog/spdlog.h>

namespace holdfast::store {

void RepeatedErrorLog::Note(const Status& s) {
  if (s.ok()) {
    if (!last_.empty()) spdlog::info("{} works again after: {}", what_, last_);
    last_.clear();
    return;
  }
  std::string text = s.ToString();
  if (text == last_) return;
  spdlog::error("{} failed (logged once while it repeats): {}", what_, text);
  last_ = std::move(text);
}

}  // namespace holdfast::store
