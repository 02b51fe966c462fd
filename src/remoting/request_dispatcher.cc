#include "remoting/request_dispatcher.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <utility>

#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::remoting {

namespace {

constexpr const char* kOverloadRemark = "[OVERLOAD]system busy";

void Reject(const std::shared_ptr<Connection>& connection, const RemotingCommand& request,
            int32_t version, int32_t code, std::string remark) {
  if (request.IsOneway()) {
    spdlog::debug("remoting: dropping oneway request from {} ({}): {}", connection->peer(), remark,
                  request.ToString());
    return;
  }
  RemotingCommand response = RemotingCommand::CreateResponse(request, code, std::move(remark));
  response.version = version;
  Status s = connection->Send(std::move(response));
  if (!s.ok()) spdlog::debug("remoting: answer to {} lost: {}", connection->peer(), s.ToString());
}

}  // namespace

RequestDispatcher::RequestDispatcher(DispatcherOptions options)
    : options_(options), pool_(options.worker_threads == 0 ? 1 : options.worker_threads) {}

RequestDispatcher::~RequestDispatcher() { Shutdown(); }

void RequestDispatcher::RegisterProcessor(int32_t code, Processor processor,
                                          ProcessorExecution execution) {
  std::lock_guard<std::mutex> lock(mu_);
  processors_[code] = Entry{std::make_shared<const Processor>(std::move(processor)), execution};
}

void RequestDispatcher::Dispatch(const std::shared_ptr<Connection>& connection,
                                 RemotingCommand request) {
  std::shared_ptr<const Processor> processor;
  ProcessorExecution execution = ProcessorExecution::kWorkerPool;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = processors_.find(request.code);
    if (it != processors_.end()) {
      processor = it->second.processor;
      execution = it->second.execution;
    }
  }
  if (!processor) {
    LogUnsupported(*connection, request);
    Reject(connection, request, options_.version, ResponseCode::REQUEST_CODE_NOT_SUPPORTED,
           " request type " + std::to_string(request.code) + " not supported");
    return;
  }
  if (connection->queued_write_bytes() > options_.max_queued_response_bytes) {
    Reject(connection, request, options_.version, ResponseCode::SYSTEM_BUSY, kOverloadRemark);
    return;
  }
  if (execution == ProcessorExecution::kInline) {
    // Nothing queues here, so only the connection's unwritten answers limit admission.
    (*processor)(request, ResponseWriter(connection, request));
    return;
  }
  if (in_process_.fetch_add(1) >= options_.max_requests_in_process) {
    in_process_.fetch_sub(1);
    Reject(connection, request, options_.version, ResponseCode::SYSTEM_BUSY, kOverloadRemark);
    return;
  }
  asio::post(pool_, [this, processor = std::move(processor),
                     writer = ResponseWriter(connection, request), req = std::move(request)] {
    (*processor)(req, writer);
    in_process_.fetch_sub(1);
  });
}

void RequestDispatcher::LogUnsupported(const Connection& connection,
                                       const RemotingCommand& request) {
  const std::string& peer = connection.peer();
  // The host alone: a client that reconnects comes from another port but is the same peer.
  std::pair<std::string, int32_t> key(peer.substr(0, peer.rfind(':')), request.code);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (logged_unsupported_.contains(key)) return;
    if (logged_unsupported_.size() < kMaxRememberedUnsupported) {
      logged_unsupported_.insert(std::move(key));
    }
  }
  if (std::optional<uint64_t> held_back = unsupported_log_.Admit()) {
    spdlog::warn(
        "remoting: {} sent request code {} ({}), which is not supported here; {} (logged once "
        "per peer and code){}",
        peer, request.code, RequestCodeName(request.code),
        request.IsOneway() ? "dropped the oneway request" : "answered REQUEST_CODE_NOT_SUPPORTED",
        HeldBackNote(*held_back));
  }
}

void RequestDispatcher::Shutdown() { pool_.join(); }

}  // namespace holdfast::remoting
