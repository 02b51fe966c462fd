#include "broker/query_message_processor.h"

#include <algorithm>
#include <string>

#include "broker/broker_response.h"
#include "remoting/protocol/query_message_request_header.h"
#include "remoting/protocol/query_message_response_header.h"
#include "remoting/protocol/view_message_request_header.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::broker {

using protocol::DecodeCustomHeader;
using protocol::EncodeCustomHeader;
using protocol::QueryMessageRequestHeader;
using protocol::QueryMessageResponseHeader;
using protocol::ViewMessageRequestHeader;
using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;
using remoting::ResponseWriter;

QueryMessageProcessor::QueryMessageProcessor(store::MessageStore* store) : store_(store) {}

std::span<const RequestHandler<QueryMessageProcessor>> QueryMessageProcessor::Handlers() {
  using P = QueryMessageProcessor;
  static constexpr RequestHandler<P> kHandlers[] = {
      {RequestCode::QUERY_MESSAGE, &P::QueryMessage},
      {RequestCode::VIEW_MESSAGE_BY_ID, &P::ViewMessageById},
  };
  return kHandlers;
}

RemotingCommand QueryMessageProcessor::QueryMessage(const RemotingCommand& request) {
  Result<QueryMessageRequestHeader> h = DecodeCustomHeader<QueryMessageRequestHeader>(request);
  if (!h.ok()) return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, h.status().message());
  int32_t max_num = h->unique_key_query ? kDefaultQueryMaxNum : h->max_num;
  max_num = std::min(max_num, kMaxMsgsNumBatch);

  // The index position is read before the query: everything it covers was searched.
  const store::MessageStore::IndexPosition position = store_->GetIndexPosition();
  std::string body;
  for (const MessageExt& msg :
       store_->QueryMessage(h->topic, h->key, max_num, h->begin_timestamp, h->end_timestamp)) {
    auto record = store_->LookStoredRecordByOffset(msg.commit_log_offset);
    if (record.ok()) body += *record;
  }
  RemotingCommand response =
      body.empty() ? MakeBrokerResponse(request, ResponseCode::QUERY_NOT_FOUND,
                                        "can not find message, maybe time range not correct")
                   : MakeBrokerResponse(request, ResponseCode::SUCCESS);
  EncodeCustomHeader(
      QueryMessageResponseHeader{position.last_update_timestamp, position.last_update_phy_offset},
      &response);
  response.body = std::move(body);
  return response;
}

RemotingCommand QueryMessageProcessor::ViewMessageById(const RemotingCommand& request) {
  Result<ViewMessageRequestHeader> h = DecodeCustomHeader<ViewMessageRequestHeader>(request);
  if (!h.ok()) return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, h.status().message());
  const int64_t offset = h->offset;
  auto record = store_->LookStoredRecordByOffset(offset);
  if (!record.ok()) {
    return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR,
                              "can not find message by the offset, " + std::to_string(offset) +
                                  ": " + record.status().message());
  }
  RemotingCommand response = MakeBrokerResponse(request, ResponseCode::SUCCESS);
  response.body = std::move(record).value();
  return response;
}

}  // namespace holdfast::broker
