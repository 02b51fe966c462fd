#include "client/allocate_message_queue_strategy.h"

#include <algorithm>

namespace holdfast::client {

Result<std::vector<MessageQueue>> AllocateMessageQueueStrategy::Allocate(
    const std::string& current_cid, const std::vector<MessageQueue>& mq_all,
    const std::vector<std::string>& cid_all) const {
  if (current_cid.empty()) return Status::InvalidArgument("allocate: the client id is empty");
  if (mq_all.empty()) return Status::InvalidArgument("allocate: the topic has no message queue");
  if (cid_all.empty()) return Status::InvalidArgument("allocate: the group has no consumer id");
  auto it = std::find(cid_all.begin(), cid_all.end(), current_cid);
  if (it == cid_all.end()) return std::vector<MessageQueue>{};
  return AllocateByIndex(static_cast<size_t>(it - cid_all.begin()), cid_all.size(), mq_all);
}

std::vector<MessageQueue> AllocateMessageQueueAveragely::AllocateByIndex(
    size_t index, size_t consumers, const std::vector<MessageQueue>& mq_all) const {
  const size_t n = mq_all.size();
  const size_t mod = n % consumers;
  const size_t size = n <= consumers ? 1 : n / consumers + (index < mod ? 1 : 0);
  const size_t start = index < mod ? index * size : index * size + mod;
  std::vector<MessageQueue> out;
  for (size_t k = start; k < n && k < start + size; ++k) out.push_back(mq_all[k]);
  return out;
}

std::vector<MessageQueue> AllocateMessageQueueAveragelyByCircle::AllocateByIndex(
    size_t index, size_t consumers, const std::vector<MessageQueue>& mq_all) const {
  std::vector<MessageQueue> out;
  for (size_t k = index; k < mq_all.size(); k += consumers) out.push_back(mq_all[k]);
  return out;
}

std::unique_ptr<AllocateMessageQueueStrategy> MakeAllocateMessageQueueStrategy(
    AllocateStrategy strategy) {
  switch (strategy) {
    case AllocateStrategy::kAveragelyByCircle:
      return std::make_unique<AllocateMessageQueueAveragelyByCircle>();
    case AllocateStrategy::kAveragely:
      break;
  }
  return std::make_unique<AllocateMessageQueueAveragely>();
}

}  // namespace holdfast::client
