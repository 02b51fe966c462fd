#include "broker/consumer_manage_processor.h"

#include <unistd.h>

#include "broker/broker_response.h"
#include "broker/ext_field_reader.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::broker {

using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;
using remoting::ResponseWriter;

namespace {

constexpr double kAccessMessageInMemoryMaxRatio = 0.40;

int64_t PhysicalMemoryBytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return INT64_MAX;
  return static_cast<int64_t>(pages) * page_size;
}

}  // namespace

ConsumerManageProcessor::ConsumerManageProcessor(ConsumerOffsetManager* offsets,
                                                 store::MessageStore* store)
    : offsets_(offsets), store_(store) {}

std::span<const RequestHandler<ConsumerManageProcessor>> ConsumerManageProcessor::Handlers() {
  using P = ConsumerManageProcessor;
  static constexpr RequestHandler<P> kHandlers[] = {
      {RequestCode::QUERY_CONSUMER_OFFSET, &P::QueryConsumerOffset},
      {RequestCode::UPDATE_CONSUMER_OFFSET, &P::UpdateConsumerOffset},
      {RequestCode::GET_MAX_OFFSET, &P::QueueOffset},
      {RequestCode::GET_MIN_OFFSET, &P::QueueOffset},
      {RequestCode::SEARCH_OFFSET_BY_TIMESTAMP, &P::QueueOffset},
  };
  return kHandlers;
}

RemotingCommand ConsumerManageProcessor::QueryConsumerOffset(const RemotingCommand& request) {
  std::string group, topic;
  int32_t queue_id = 0;
  Status s = ReadStringField(request, "consumerGroup", true, &group);
  if (s.ok()) s = ReadStringField(request, "topic", true, &topic);
  if (s.ok()) s = ReadNumberField(request, "queueId", true, &queue_id);
  if (!s.ok()) return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, s.message());

  int64_t offset = offsets_->QueryOffset(group, topic, queue_id);
  if (offset < 0) {
    const std::optional<bool> set_zero = ReadBoolField(request, "setZeroIfNotFound");
    const bool found_zero = (!set_zero || *set_zero) &&
                            store_->GetMinOffsetInQueue(topic, queue_id) <= 0 &&
                            !IsOnDisk(store_->GetCommitLogOffsetInQueue(topic, queue_id, 0));
    if (!found_zero) {
      return MakeBrokerResponse(request, ResponseCode::QUERY_NOT_FOUND,
                                "Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first");
    }
    offset = 0;
  }
  RemotingCommand response = MakeBrokerResponse(request, ResponseCode::SUCCESS);
  response.SetExtField("offset", std::to_string(offset));
  return response;
}

RemotingCommand ConsumerManageProcessor::UpdateConsumerOffset(const RemotingCommand& request) {
  std::string group, topic;
  int32_t queue_id = 0;
  int64_t offset = 0;
  Status s = ReadStringField(request, "consumerGroup", true, &group);
  if (s.ok()) s = ReadStringField(request, "topic", true, &topic);
  if (s.ok()) s = ReadNumberField(request, "queueId", true, &queue_id);
  if (s.ok()) s = ReadNumberField(request, "commitOffset", true, &offset);
  if (!s.ok()) return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, s.message());
  offsets_->CommitOffset(group, topic, queue_id, offset);
  return MakeBrokerResponse(request, ResponseCode::SUCCESS);
}

RemotingCommand ConsumerManageProcessor::QueueOffset(const RemotingCommand& request) {
  std::string topic;
  int32_t queue_id = 0;
  int64_t timestamp = 0;
  Status s = ReadStringField(request, "topic", true, &topic);
  if (s.ok()) s = ReadNumberField(request, "queueId", true, &queue_id);
  if (s.ok() && request.code == RequestCode::SEARCH_OFFSET_BY_TIMESTAMP) {
    s = ReadNumberField(request, "timestamp", true, &timestamp);
  }
  if (!s.ok()) return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, s.message());
  int64_t offset = 0;
  switch (request.code) {
    case RequestCode::GET_MAX_OFFSET:
      offset = store_->GetMaxOffsetInQueue(topic, queue_id);
      break;
    case RequestCode::GET_MIN_OFFSET:
      offset = store_->GetMinOffsetInQueue(topic, queue_id);
      break;
    default:
      offset = store_->GetOffsetInQueueByTime(topic, queue_id, timestamp);
  }
  RemotingCommand response = MakeBrokerResponse(request, ResponseCode::SUCCESS);
  response.SetExtField("offset", std::to_string(offset));
  return response;
}

bool ConsumerManageProcessor::IsOnDisk(int64_t phy) const {
  if (phy < 0) return false;  // no such message: RocketMQ's checkInDiskByConsumeOffset says false
  static const int64_t kMemory = static_cast<int64_t>(static_cast<double>(PhysicalMemoryBytes()) *
                                                      kAccessMessageInMemoryMaxRatio);
  return store_->GetMaxPhyOffset() - phy > kMemory;
}

}  // namespace holdfast::broker
