// holdfast::Producer forwards to client::ProducerImpl.
#include "holdfast/producer.h"

#include "client/producer_impl.h"

namespace holdfast {

const char* SendStatusName(SendStatus status) {
  switch (status) {
    case SendStatus::kSendOk:
      return "SEND_OK";
    case SendStatus::kFlushDiskTimeout:
      return "FLUSH_DISK_TIMEOUT";
    case SendStatus::kFlushSlaveTimeout:
      return "FLUSH_SLAVE_TIMEOUT";
    case SendStatus::kSlaveNotAvailable:
      return "SLAVE_NOT_AVAILABLE";
  }
  return "UNKNOWN";
}

Producer::Producer(ProducerOptions options)
    : impl_(std::make_unique<client::ProducerImpl>(std::move(options))) {}

Producer::~Producer() { impl_->Shutdown(); }

Status Producer::Start() { return impl_->Start(); }
void Producer::Shutdown() { impl_->Shutdown(); }

Result<SendResult> Producer::Send(const MQMessage& msg) { return impl_->Send(msg); }
Result<SendResult> Producer::Send(const MQMessage& msg, const MessageQueue& queue) {
  return impl_->Send(msg, queue);
}
Result<SendResult> Producer::Send(const MQMessage& msg, const MessageQueueSelector& selector) {
  return impl_->Send(msg, selector);
}
Result<SendResult> Producer::Send(const std::vector<MQMessage>& batch) {
  return impl_->Send(batch);
}
void Producer::SendAsync(const MQMessage& msg, SendCallback callback) {
  impl_->SendAsync(msg, std::move(callback));
}
Status Producer::SendOneway(const MQMessage& msg) { return impl_->SendOneway(msg); }
Result<std::vector<MessageQueue>> Producer::FetchPublishMessageQueues(const std::string& topic) {
  return impl_->FetchPublishMessageQueues(topic);
}

}  // namespace holdfast
