#include "client/remote_broker_offset_store.h"

#include <spdlog/spdlog.h>

namespace holdfast::client {

RemoteBrokerOffsetStore::RemoteBrokerOffsetStore(BrokerOffsetApi* api, std::string group)
    : api_(api), group_(std::move(group)) {}

void RemoteBrokerOffsetStore::UpdateOffset(const MessageQueue& mq, int64_t offset,
                                           bool increase_only) {
  table_.Update(mq, offset, increase_only);
}

Result<int64_t> RemoteBrokerOffsetStore::ReadOffset(const MessageQueue& mq, ReadOffsetType type) {
  if (type != ReadOffsetType::kReadFromStore) {
    if (auto held = table_.Get(mq)) return *held;
    if (type == ReadOffsetType::kReadFromMemory) return int64_t{-1};
  }
  Result<int64_t> fetched = api_->QueryConsumerOffset(group_, mq);
  if (!fetched.ok()) {
    if (fetched.status().IsNotFound()) return int64_t{-1};
    return Status(fetched.status());
  }
  table_.Update(mq, *fetched, false);
  return *fetched;
}

void RemoteBrokerOffsetStore::PersistAll(const std::set<MessageQueue>& mqs) {
  if (mqs.empty()) return;
  for (const auto& [mq, offset] : table_.Clone("")) {
    if (mqs.count(mq) == 0) continue;
    // On failure the broker keeps an older offset: whoever consumes the queue next gets some
    // messages again, none are skipped. The next persist (every persistConsumerOffsetInterval)
    // tries again.
    Status s = api_->UpdateConsumerOffsetOneway(group_, mq, offset);
    if (!s.ok()) {
      spdlog::warn("persist offset {} of {} for group {}: {}", offset, mq.ToString(), group_,
                   s.ToString());
    }
  }
  table_.RetainIf([&](const MessageQueue& mq) { return mqs.count(mq) != 0; });
}

void RemoteBrokerOffsetStore::Persist(const MessageQueue& mq) {
  std::optional<int64_t> offset = table_.Get(mq);
  if (!offset) return;
  Status s = api_->UpdateConsumerOffsetOneway(group_, mq, *offset);  // see PersistAll
  if (!s.ok()) {
    spdlog::warn("persist offset {} of {} for group {}: {}", *offset, mq.ToString(), group_,
                 s.ToString());
  }
}

void RemoteBrokerOffsetStore::RemoveOffset(const MessageQueue& mq) { table_.Remove(mq); }

std::map<MessageQueue, int64_t> RemoteBrokerOffsetStore::CloneOffsetTable(
    const std::string& topic) const {
  return table_.Clone(topic);
}

}  // namespace holdfast::client
