#include "client/offset_table.h"

#include <algorithm>

namespace holdfast::client {

void OffsetTable::Update(const MessageQueue& mq, int64_t offset, bool increase_only) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = offsets_.emplace(mq, offset);
  if (inserted) return;
  it->second = increase_only ? std::max(it->second, offset) : offset;
}

std::optional<int64_t> OffsetTable::Get(const MessageQueue& mq) const {
  std::lock_guard lock(mu_);
  auto it = offsets_.find(mq);
  if (it == offsets_.end()) return std::nullopt;
  return it->second;
}

void OffsetTable::Remove(const MessageQueue& mq) {
  std::lock_guard lock(mu_);
  offsets_.erase(mq);
}

std::map<MessageQueue, int64_t> OffsetTable::Clone(const std::string& topic) const {
  std::lock_guard lock(mu_);
  if (topic.empty()) return offsets_;
  std::map<MessageQueue, int64_t> out;
  for (const auto& [mq, offset] : offsets_) {
    if (mq.topic == topic) out.emplace(mq, offset);
  }
  return out;
}

}  // namespace holdfast::client
