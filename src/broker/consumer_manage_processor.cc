#include "broker/consumer_manage_processor.h"

#include <unistd.h>

#include "broker/broker_response.h"
#include "remoting/protocol/offset_response_header.h"
#include "remoting/protocol/query_consumer_offset_request_header.h"
#include "remoting/protocol/search_offset_request_header.h"
#include "remoting/protocol/topic_queue_request_header.h"
#include "remoting/protocol/update_consumer_offset_request_header.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::broker {

using protocol::DecodeCustomHeader;
using protocol::EncodeCustomHeader;
using protocol::OffsetResponseHeader;
using protocol::QueryConsumerOffsetRequestHeader;
using protocol::QueryConsumerOffsetResponseHeader;
using protocol::SearchOffsetRequestHeader;
using protocol::TopicQueueRequestHeader;
using protocol::UpdateConsumerOffsetRequestHeader;
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
  Result<QueryConsumerOffsetRequestHeader> h =
      DecodeCustomHeader<QueryConsumerOffsetRequestHeader>(request);
  if (!h.ok()) return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, h.status().message());

  int64_t offset = offsets_->QueryOffset(h->consumer_group, h->topic, h->queue_id);
  if (offset < 0) {
    const bool found_zero = h->set_zero_if_not_found.value_or(true) &&
                            store_->GetMinOffsetInQueue(h->topic, h->queue_id) <= 0 &&
                            !IsOnDisk(store_->GetCommitLogOffsetInQueue(h->topic, h->queue_id, 0));
    if (!found_zero) {
      return MakeBrokerResponse(request, ResponseCode::QUERY_NOT_FOUND,
                                "Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first");
    }
    offset = 0;
  }
  RemotingCommand response = MakeBrokerResponse(request, ResponseCode::SUCCESS);
  EncodeCustomHeader(QueryConsumerOffsetResponseHeader{offset}, &response);
  return response;
}

RemotingCommand ConsumerManageProcessor::UpdateConsumerOffset(const RemotingCommand& request) {
  Result<UpdateConsumerOffsetRequestHeader> h =
      DecodeCustomHeader<UpdateConsumerOffsetRequestHeader>(request);
  if (!h.ok()) return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, h.status().message());
  offsets_->CommitOffset(h->consumer_group, h->topic, h->queue_id, h->commit_offset);
  return MakeBrokerResponse(request, ResponseCode::SUCCESS);
}

RemotingCommand ConsumerManageProcessor::QueueOffset(const RemotingCommand& request) {
  // GET_MAX_OFFSET and GET_MIN_OFFSET name a queue; SEARCH_OFFSET_BY_TIMESTAMP adds a time.
  SearchOffsetRequestHeader h;
  if (request.code == RequestCode::SEARCH_OFFSET_BY_TIMESTAMP) {
    Result<SearchOffsetRequestHeader> search =
        DecodeCustomHeader<SearchOffsetRequestHeader>(request);
    if (!search.ok()) {
      return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, search.status().message());
    }
    h = *search;
  } else {
    Result<TopicQueueRequestHeader> queue = DecodeCustomHeader<TopicQueueRequestHeader>(request);
    if (!queue.ok()) {
      return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, queue.status().message());
    }
    h.topic = queue->topic;
    h.queue_id = queue->queue_id;
  }
  int64_t offset = 0;
  switch (request.code) {
    case RequestCode::GET_MAX_OFFSET:
      offset = store_->GetMaxOffsetInQueue(h.topic, h.queue_id);
      break;
    case RequestCode::GET_MIN_OFFSET:
      offset = store_->GetMinOffsetInQueue(h.topic, h.queue_id);
      break;
    default:
      offset = store_->GetOffsetInQueueByTime(h.topic, h.queue_id, h.timestamp);
  }
  RemotingCommand response = MakeBrokerResponse(request, ResponseCode::SUCCESS);
  EncodeCustomHeader(OffsetResponseHeader{offset}, &response);
  return response;
}

bool ConsumerManageProcessor::IsOnDisk(int64_t phy) const {
  if (phy < 0) return false;  // no such message: RocketMQ's checkInDiskByConsumeOffset says false
  static const int64_t kMemory = static_cast<int64_t>(static_cast<double>(PhysicalMemoryBytes()) *
                                                      kAccessMessageInMemoryMaxRatio);
  return store_->GetMaxPhyOffset() - phy > kMemory;
}

}  // namespace holdfast::broker
