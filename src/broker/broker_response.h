// The response every broker processor writes: RocketMQ's createResponseCommand plus the broker's
// version (protocol::kCurrentVersion), which Java clients read as the broker's version
// (docs/protocol.md §1.6); and the request-code table processors dispatch by.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "remoting/protocol/mq_version.h"
#include "remoting/remoting_command.h"
#include "remoting/response_code.h"
#include "remoting/response_writer.h"

namespace holdfast::broker {

inline remoting::RemotingCommand MakeBrokerResponse(
    const remoting::RemotingCommand& request, int32_t code,
    std::optional<std::string> remark = std::nullopt) {
  remoting::RemotingCommand response =
      remoting::RemotingCommand::CreateResponse(request, code, std::move(remark));
  response.version = protocol::kCurrentVersion;
  return response;
}

// The answer to a code a processor is registered for but does not handle.
inline remoting::RemotingCommand UnsupportedRequest(const remoting::RemotingCommand& request) {
  return MakeBrokerResponse(request, remoting::ResponseCode::REQUEST_CODE_NOT_SUPPORTED,
                            "request type " + std::to_string(request.code) + " not supported");
}

// Writes `response` unless the request was oneway (oneway requests get no answer).
inline void Reply(const remoting::ResponseWriter& writer, remoting::RemotingCommand response) {
  if (writer.oneway()) return;
  (void)writer.Write(std::move(response));
}

// Writes MakeBrokerResponse(request, code, remark) unless the request was oneway.
inline void Reply(const remoting::ResponseWriter& writer, const remoting::RemotingCommand& request,
                  int32_t code, std::string remark) {
  if (writer.oneway()) return;
  (void)writer.Write(MakeBrokerResponse(request, code, std::move(remark)));
}

// One request code a processor serves and the member function that answers it. A processor keeps
// one table of these, registers the table's codes (RequestCodesOf) and dispatches by it
// (ReplyByHandler), so what it is registered for and what it answers cannot disagree.
template <typename Processor>
struct RequestHandler {
  int32_t code;
  remoting::RemotingCommand (Processor::*answer)(const remoting::RemotingCommand& request);
};

template <typename Processor>
std::vector<int32_t> RequestCodesOf(std::span<const RequestHandler<Processor>> handlers) {
  std::vector<int32_t> codes;
  for (const RequestHandler<Processor>& handler : handlers) codes.push_back(handler.code);
  return codes;
}

// Replies with the answer of the handler for request.code, or with UnsupportedRequest.
template <typename Processor>
void ReplyByHandler(Processor& processor, std::span<const RequestHandler<Processor>> handlers,
                    const remoting::RemotingCommand& request,
                    const remoting::ResponseWriter& writer) {
  for (const RequestHandler<Processor>& handler : handlers) {
    if (handler.code == request.code) return Reply(writer, (processor.*handler.answer)(request));
  }
  Reply(writer, UnsupportedRequest(request));
}

// The base of a processor that answers by one table of RequestHandlers: its RequestCodes() are
// the table's codes, and Process() answers by the table. Derived gives
// `static std::span<const RequestHandler<Derived>> Handlers()` (private, with this base a friend).
template <typename Derived>
class TableProcessor {
 public:
  // The request codes Process serves: what to register the processor for.
  static std::vector<int32_t> RequestCodes() { return RequestCodesOf(Derived::Handlers()); }
  // Any code not in the table answers REQUEST_CODE_NOT_SUPPORTED.
  void Process(const remoting::RemotingCommand& request, remoting::ResponseWriter writer) {
    ReplyByHandler(static_cast<Derived&>(*this), Derived::Handlers(), request, writer);
  }
};

}  // namespace holdfast::broker
