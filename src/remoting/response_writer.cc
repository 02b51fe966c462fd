#include "remoting/response_writer.h"

#include <utility>

#include "remoting/connection.h"

namespace holdfast::remoting {

ResponseWriter::ResponseWriter(std::weak_ptr<Connection> connection, const RemotingCommand& request)
    : connection_(std::move(connection)),
      opaque_(request.opaque),
      oneway_(request.IsOneway()),
      answered_(std::make_shared<std::atomic<bool>>(false)) {}

Status ResponseWriter::Write(RemotingCommand response) const {
  if (oneway_ || !answered_) return Status::Ok();
  if (answered_->exchange(true)) {
    return Status::AlreadyExists("request opaque " + std::to_string(opaque_) + " already answered");
  }
  std::shared_ptr<Connection> conn = connection_.lock();
  if (!conn) return Status::Unavailable("connection closed before the response was written");
  response.opaque = opaque_;
  response.MarkResponse();
  return conn->Send(response);
}

Status ResponseWriter::WriteCode(int32_t code, std::optional<std::string> remark) const {
  RemotingCommand response;
  response.code = code;
  response.remark = std::move(remark);
  return Write(std::move(response));
}

}  // namespace holdfast::remoting
