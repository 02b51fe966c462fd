#include "holdfast/pull_consumer.h"

#include "client/pull_consumer_impl.h"

namespace holdfast {

PullConsumer::PullConsumer(PullConsumerOptions options)
    : impl_(std::make_unique<client::PullConsumerImpl>(std::move(options))) {}

PullConsumer::~PullConsumer() { impl_->Shutdown(); }

Status PullConsumer::Subscribe(const std::string& topic, const std::string& expression) {
  return impl_->Subscribe(topic, expression);
}

Status PullConsumer::Assign(const std::vector<MessageQueue>& queues) {
  return impl_->Assign(queues);
}

Status PullConsumer::Start() { return impl_->Start(); }

void PullConsumer::Shutdown() { impl_->Shutdown(); }

Result<std::vector<MQMessageExt>> PullConsumer::Poll(std::chrono::milliseconds timeout) {
  return impl_->Poll(timeout);
}

Result<std::vector<MQMessageExt>> PullConsumer::Poll() {
  return impl_->Poll(impl_->options().poll_timeout);
}

Status PullConsumer::CommitSync() { return impl_->CommitSync(); }

Status PullConsumer::Seek(const MessageQueue& queue, int64_t offset) {
  return impl_->Seek(queue, offset);
}

Result<int64_t> PullConsumer::Committed(const MessageQueue& queue) {
  return impl_->Committed(queue);
}

Result<std::vector<MessageQueue>> PullConsumer::FetchMessageQueues(const std::string& topic) {
  return impl_->FetchMessageQueues(topic);
}

std::vector<MessageQueue> PullConsumer::Assignment() const { return impl_->Assignment(); }

}  // namespace holdfast
