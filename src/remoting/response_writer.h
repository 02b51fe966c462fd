// ResponseWriter: a small copyable handle with which a processor answers one request, now or
// later, from any thread (long polling, async store completions).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "remoting/remoting_command.h"

namespace holdfast::remoting {

class Connection;

class ResponseWriter {
 public:
  // A writer that answers nothing (for oneway requests and tests).
  ResponseWriter() = default;
  ResponseWriter(std::weak_ptr<Connection> connection, const RemotingCommand& request);

  // Sends `response` as the answer to the request: its opaque and the response flag are set here.
  // Only the first call sends; later ones return AlreadyExists. For a oneway request it sends
  // nothing and returns OK. Unavailable when the connection has closed meanwhile (the response is
  // lost, as in RocketMQ). Thread-safe; copies share the "answered" state.
  Status Write(RemotingCommand response) const;

  // Shorthand: RemotingCommand::CreateResponse(request, code, remark) written as above.
  Status WriteCode(int32_t code, std::optional<std::string> remark = std::nullopt) const;

  bool oneway() const { return oneway_; }
  // The connection the request came on, or nullptr once it is gone. Use it to send requests back
  // to the peer (broker -> client), see Connection::InvokeAsync / InvokeOneway.
  std::shared_ptr<Connection> connection() const { return connection_.lock(); }

 private:
  std::weak_ptr<Connection> connection_;
  int32_t opaque_ = 0;
  bool oneway_ = true;
  std::shared_ptr<std::atomic<bool>> answered_;
};

// Handles the requests of one request code. Runs on a worker thread of the server or client; it
// may answer through `writer` before returning or keep a copy and answer later from any thread.
// It should not block for long: while it runs it counts against max_requests_in_process.
using Processor = std::function<void(const RemotingCommand& request, ResponseWriter writer)>;

}  // namespace holdfast::remoting
