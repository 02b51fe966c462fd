// RemotingClient: sends requests to remoting servers, one connection per "host:port" address,
// created on first use, reused, and re-created on the next call after it closed
// (apache/rocketmq: NettyRemotingClient). It also serves requests a server sends back on those
// connections (broker -> client, e.g. NOTIFY_CONSUMER_IDS_CHANGED) with registered processors.
//
// Threads (owned here, joined by Shutdown()):
//  * one io thread runs the asio::io_context: reads, writes, timers, and every InvokeAsync
//    callback. Callbacks must not block and must not call InvokeSync.
//  * `dispatcher.worker_threads` threads run the processors for server-sent requests.
// Connecting is done synchronously in the thread that calls Invoke* (no connect timeout yet).
//
// Lifecycle: construct, RegisterProcessor(...), Start(), ..., Shutdown() (also by the destructor).
// All Invoke* methods are thread-safe. Errors are Status values:
//  * InvalidArgument: bad address, or the request cannot be encoded;
//  * Unavailable: cannot connect, the connection closed before the response, or not started;
//  * Timeout: no response within the timeout (a late response is dropped).
#pragma once

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"
#include "remoting/connection.h"
#include "remoting/request_dispatcher.h"
#include "remoting/response_writer.h"

namespace holdfast::remoting {

struct RemotingClientOptions {
  ConnectionOptions connection;
  DispatcherOptions dispatcher{.worker_threads = 2,
                               .max_requests_in_process = 10'000,
                               .max_queued_response_bytes = size_t{64} * 1024 * 1024};
};

class RemotingClient {
 public:
  using ResponseCallback = Connection::ResponseCallback;

  explicit RemotingClient(RemotingClientOptions options = {});
  ~RemotingClient();
  RemotingClient(const RemotingClient&) = delete;
  RemotingClient& operator=(const RemotingClient&) = delete;

  void RegisterProcessor(int32_t code, Processor processor);

  void Start();
  // Closes every connection (their waiting requests fail with Unavailable) and joins the threads.
  void Shutdown();

  // Sends `request` to `addr` and waits for the response. Must not be called on the io thread.
  Result<RemotingCommand> InvokeSync(const std::string& addr, RemotingCommand request,
                                     std::chrono::milliseconds timeout);
  // Calls `callback` exactly once on the io thread with the response or an error. When the client
  // is already shut down, it is called in the caller's thread with Unavailable.
  void InvokeAsync(const std::string& addr, RemotingCommand request,
                   std::chrono::milliseconds timeout, ResponseCallback callback);
  // Marks `request` oneway and queues it. OK does not mean it was delivered.
  Status InvokeOneway(const std::string& addr, RemotingCommand request);

  // Closes the connection to `addr`, if any.
  void CloseConnection(const std::string& addr);

  // The open connection to `addr`, connecting if needed.
  Result<std::shared_ptr<Connection>> GetOrCreateConnection(const std::string& addr);

 private:
  Result<std::shared_ptr<Connection>> Connect(const std::string& addr);

  // Constant after construction.
  const RemotingClientOptions options_;

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  RequestDispatcher dispatcher_;
  std::thread io_thread_;

  std::mutex mu_;
  bool running_ = false;                                        // guarded by mu_
  std::map<std::string, std::shared_ptr<Connection>> by_addr_;  // guarded by mu_
};

}  // namespace holdfast::remoting
