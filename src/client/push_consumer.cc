#include "holdfast/push_consumer.h"

#include "client/push_consumer_impl.h"

namespace holdfast {

PushConsumer::PushConsumer(PushConsumerOptions options)
    : impl_(std::make_unique<client::PushConsumerImpl>(std::move(options))) {}

PushConsumer::~PushConsumer() { impl_->Shutdown(); }

Status PushConsumer::Subscribe(const std::string& topic, const std::string& expression) {
  return impl_->Subscribe(topic, expression);
}

Status PushConsumer::Unsubscribe(const std::string& topic) { return impl_->Unsubscribe(topic); }

void PushConsumer::RegisterMessageListener(MessageListenerConcurrently listener) {
  impl_->RegisterMessageListener(std::move(listener));
}

void PushConsumer::RegisterMessageListener(MessageListenerOrderly listener) {
  impl_->RegisterMessageListener(std::move(listener));
}

Status PushConsumer::Start() { return impl_->Start(); }

void PushConsumer::Shutdown() { impl_->Shutdown(); }

std::vector<MessageQueue> PushConsumer::AssignedQueues(const std::string& topic) const {
  return impl_->AssignedQueues(topic);
}

std::string PushConsumer::ClientId() const { return impl_->ClientId(); }

}  // namespace holdfast
