// RemotingServer: accepts TCP connections and serves remoting requests with registered processors
// (apache/rocketmq: NettyRemotingServer).
//
// Threads (all owned here, all joined by Shutdown()):
//  * `io_threads` threads run one asio::io_context: accepting, reading, decoding, writing, timers.
//    Each connection is confined to its own strand. Nothing on them blocks.
//  * `worker_threads` threads (RequestDispatcher) run the processors.
//
// Lifecycle: construct, RegisterProcessor(...), Start(), ..., Shutdown() (also run by the
// destructor). Shutdown stops accepting, waits for processors that are queued or running (a
// processor blocked forever blocks Shutdown), closes every connection and joins all threads.
// Responses written through a ResponseWriter after Shutdown are dropped (Unavailable).
//
// Per connection: a decode error (garbage, a frame above max_frame_length) closes that connection
// only, with a line naming the peer (at most kBadFrameLogBurst such lines per kBadFrameLogPeriod
// per server; the rest are counted, see connection.h); idle_timeout without reads or writes closes
// it. See request_dispatcher.h for REQUEST_CODE_NOT_SUPPORTED and SYSTEM_BUSY. Responses are JSON.
#pragma once

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "remoting/connection.h"
#include "remoting/request_dispatcher.h"
#include "remoting/response_writer.h"

namespace holdfast::remoting {

struct RemotingServerOptions {
  std::string host = "0.0.0.0";
  uint16_t port = 0;  // 0: the kernel picks a free port; see RemotingServer::port()
  size_t io_threads = 1;
  ConnectionOptions connection;
  DispatcherOptions dispatcher;
};

class RemotingServer {
 public:
  // Runs on an io thread when a connection closes (for example to drop a client's channel from a
  // consumer table). Must not block.
  using CloseListener = std::function<void(const std::shared_ptr<Connection>&)>;

  explicit RemotingServer(RemotingServerOptions options);
  ~RemotingServer();
  RemotingServer(const RemotingServer&) = delete;
  RemotingServer& operator=(const RemotingServer&) = delete;

  // Before Start(), or at any time for a code not in use. Thread-safe.
  void RegisterProcessor(int32_t code, Processor processor,
                         ProcessorExecution execution = ProcessorExecution::kWorkerPool);
  // Before Start().
  void SetCloseListener(CloseListener listener) { close_listener_ = std::move(listener); }

  // Binds, listens and starts the threads. IoError when the address cannot be bound.
  Status Start();
  void Shutdown();

  // The bound port, valid after a successful Start().
  uint16_t port() const { return port_; }
  // Open connections right now (for tests and monitoring). Thread-safe.
  size_t connection_count() const;
  // Snapshot of the open connections. Thread-safe.
  std::vector<std::shared_ptr<Connection>> connections() const;

 private:
  void DoAccept();

  // Constant after Start().
  const RemotingServerOptions options_;
  CloseListener close_listener_;
  uint16_t port_ = 0;

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  asio::ip::tcp::acceptor acceptor_;
  RequestDispatcher dispatcher_;
  std::vector<std::thread> io_threads_;
  bool started_ = false;
  bool shut_down_ = false;

  mutable std::mutex mu_;
  std::set<std::shared_ptr<Connection>> connections_;  // guarded by mu_
  bool accepting_ = false;                             // guarded by mu_
};

}  // namespace holdfast::remoting
