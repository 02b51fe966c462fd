#include "broker/query_message_processor.h"

#include <algorithm>
#include <string>

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

// MixAll.UNIQUE_MSG_QUERY_FLAG.
constexpr std::string_view kUniqueMsgQueryFlag = "_UNIQUE_KEY_QUERY";

}  // namespace

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
  std::string topic, key;
  int32_t max_num = 0;
  int64_t begin = 0, end = 0;
  Status s = ReadStringField(request, "topic", true, &topic);
  if (s.ok()) s = ReadStringField(request, "key", true, &key);
  if (s.ok()) s = ReadNumberField(request, "maxNum", true, &max_num);
  if (s.ok()) s = ReadNumberField(request, "beginTimestamp", true, &begin);
  if (s.ok()) s = ReadNumberField(request, "endTimestamp", true, &end);
  if (!s.ok()) return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, s.message());
  if (ReadBoolField(request, kUniqueMsgQueryFlag).value_or(false)) max_num = kDefaultQueryMaxNum;
  max_num = std::min(max_num, kMaxMsgsNumBatch);

  // The index position is read before the query: everything it covers was searched.
  const store::MessageStore::IndexPosition position = store_->GetIndexPosition();
  std::string body;
  for (const MessageExt& msg : store_->QueryMessage(topic, key, max_num, begin, end)) {
    auto record = store_->LookStoredRecordByOffset(msg.commit_log_offset);
    if (record.ok()) body += *record;
  }
  RemotingCommand response =
      body.empty() ? MakeBrokerResponse(request, ResponseCode::QUERY_NOT_FOUND,
                                        "can not find message, maybe time range not correct")
                   : MakeBrokerResponse(request, ResponseCode::SUCCESS);
  response.SetExtField("indexLastUpdateTimestamp", std::to_string(position.last_update_timestamp));
  response.SetExtField("indexLastUpdatePhyoffset", std::to_string(position.last_update_phy_offset));
  response.body = std::move(body);
  return response;
}

RemotingCommand QueryMessageProcessor::ViewMessageById(const RemotingCommand& request) {
  int64_t offset = 0;
  if (Status s = ReadNumberField(request, "offset", true, &offset); !s.ok()) {
    return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, s.message());
  }
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
