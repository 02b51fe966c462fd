// The in-memory offset table both offset stores share: MessageQueue -> committed offset, with the
// increase-only rule in one place.
//
// Thread-safe: every method takes the table's mutex.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "holdfast/message.h"

namespace holdfast::client {

class OffsetTable {
 public:
  // increase_only: keeps the held offset when `offset` is lower.
  void Update(const MessageQueue& mq, int64_t offset, bool increase_only);
  std::optional<int64_t> Get(const MessageQueue& mq) const;
  void Remove(const MessageQueue& mq);
  // Entries of `topic`, or every entry when topic is empty.
  std::map<MessageQueue, int64_t> Clone(const std::string& topic) const;
  // Drops entries whose queue `keep` rejects.
  template <typename Pred>
  void RetainIf(Pred keep) {
    std::lock_guard lock(mu_);
    std::erase_if(offsets_, [&](const auto& entry) { return !keep(entry.first); });
  }

 private:
  mutable std::mutex mu_;
  std::map<MessageQueue, int64_t> offsets_;  // guarded by mu_
};

}  // namespace holdfast::client
