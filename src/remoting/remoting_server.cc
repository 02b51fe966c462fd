#include "remoting/remoting_server.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace holdfast::remoting {

RemotingServer::RemotingServer(RemotingServerOptions options)
    : options_(std::move(options)),
      work_(asio::make_work_guard(io_)),
      acceptor_(asio::make_strand(io_)),
      dispatcher_(options_.dispatcher) {}

RemotingServer::~RemotingServer() { Shutdown(); }

void RemotingServer::RegisterProcessor(int32_t code, Processor processor,
                                       ProcessorExecution execution) {
  dispatcher_.RegisterProcessor(code, std::move(processor), execution);
}

Status RemotingServer::Start() {
  if (started_) return Status::InvalidArgument("remoting server already started");
  asio::error_code ec;
  asio::ip::address address = asio::ip::make_address(options_.host, ec);
  if (ec) return Status::InvalidArgument("bad listen address " + options_.host);
  asio::ip::tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IoError("cannot listen on " + options_.host + ":" +
                           std::to_string(options_.port) + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  started_ = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    accepting_ = true;
  }
  DoAccept();
  size_t n = options_.io_threads == 0 ? 1 : options_.io_threads;
  for (size_t i = 0; i < n; ++i) io_threads_.emplace_back([this] { io_.run(); });
  spdlog::info("remoting: server listening on {}:{}", options_.host, port_);
  return Status::Ok();
}

void RemotingServer::DoAccept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](const asio::error_code& ec,
                                                        asio::ip::tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      spdlog::warn("remoting: accept failed: {}", ec.message());
    } else {
      auto on_request = [this](const std::shared_ptr<Connection>& conn, RemotingCommand request) {
        dispatcher_.Dispatch(conn, std::move(request));
      };
      auto on_close = [this](const std::shared_ptr<Connection>& conn, const Status&) {
        {
          std::lock_guard<std::mutex> lock(mu_);
          connections_.erase(conn);
        }
        if (close_listener_) close_listener_(conn);
      };
      auto conn = Connection::Create(std::move(socket), options_.connection, on_request, on_close);
      bool keep;
      {
        std::lock_guard<std::mutex> lock(mu_);
        keep = accepting_;
        if (keep) connections_.insert(conn);
      }
      if (!keep) {
        conn->Close(Status::Unavailable("server shutting down"));
        return;
      }
      conn->Start();
    }
    DoAccept();
  });
}

void RemotingServer::Shutdown() {
  if (!started_ || shut_down_) return;
  shut_down_ = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    accepting_ = false;
  }
  asio::post(acceptor_.get_executor(), [this] {
    asio::error_code ignored;
    acceptor_.close(ignored);
  });
  for (const auto& conn : connections()) conn->Close(Status::Unavailable("server shut down"));
  dispatcher_.Shutdown();
  work_.reset();
  for (auto& t : io_threads_) t.join();
  io_threads_.clear();
  std::lock_guard<std::mutex> lock(mu_);
  connections_.clear();
}

size_t RemotingServer::connection_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return connections_.size();
}

std::vector<std::shared_ptr<Connection>> RemotingServer::connections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {connections_.begin(), connections_.end()};
}

}  // namespace holdfast::remoting
