#include "remoting/protocol/send_message_request_header.h"

#include "remoting/request_code.h"

namespace holdfast::protocol {

using remoting::RequestCode;

bool UsesSendHeaderV2(int32_t request_code) {
  return request_code == RequestCode::SEND_MESSAGE_V2 ||
         request_code == RequestCode::SEND_BATCH_MESSAGE ||
         request_code == RequestCode::SEND_REPLY_MESSAGE_V2;
}

void EncodeSendMessageRequestHeader(const SendMessageRequestHeader& header,
                                    remoting::RemotingCommand* request) {
  EncodeCustomHeader(header, request,
                     UsesSendHeaderV2(request->code) ? KeyStyle::kShort : KeyStyle::kLong);
}

Result<SendMessageRequestHeader> DecodeSendMessageRequestHeader(
    const remoting::RemotingCommand& request) {
  return DecodeCustomHeader<SendMessageRequestHeader>(
      request, UsesSendHeaderV2(request.code) ? KeyStyle::kShort : KeyStyle::kLong);
}

}  // namespace holdfast::protocol
