#include "remoting/remoting_client.h"

#include <spdlog/spdlog.h>

#include <future>
#include <utility>

namespace holdfast::remoting {

RemotingClient::RemotingClient(RemotingClientOptions options)
    : options_(std::move(options)),
      work_(asio::make_work_guard(io_)),
      dispatcher_(options_.dispatcher) {}

RemotingClient::~RemotingClient() { Shutdown(); }

void RemotingClient::RegisterProcessor(int32_t code, Processor processor) {
  dispatcher_.RegisterProcessor(code, std::move(processor));
}

void RemotingClient::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (running_ || io_thread_.joinable()) return;
  running_ = true;
  io_thread_ = std::thread([this] { io_.run(); });
}

void RemotingClient::Shutdown() {
  std::map<std::string, std::shared_ptr<Connection>> conns;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_) return;
    running_ = false;
    conns.swap(by_addr_);
  }
  for (auto& [addr, conn] : conns) conn->Close(Status::Unavailable("client shut down"));
  dispatcher_.Shutdown();
  work_.reset();
  if (io_thread_.joinable()) io_thread_.join();
}

Result<std::shared_ptr<Connection>> RemotingClient::Connect(const std::string& addr) {
  size_t colon = addr.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == addr.size()) {
    return Status::InvalidArgument("address must be host:port, got '" + addr + "'");
  }
  std::string host = addr.substr(0, colon);
  std::string port = addr.substr(colon + 1);
  asio::error_code ec;
  asio::ip::tcp::resolver resolver(io_);
  auto endpoints = resolver.resolve(host, port, asio::ip::resolver_base::numeric_service, ec);
  if (ec) return Status::InvalidArgument("cannot resolve " + addr + ": " + ec.message());
  asio::ip::tcp::socket socket(asio::make_strand(io_));
  asio::connect(socket, endpoints, ec);
  if (ec) return Status::Unavailable("cannot connect to " + addr + ": " + ec.message());
  auto on_request = [this](const std::shared_ptr<Connection>& conn, RemotingCommand request) {
    dispatcher_.Dispatch(conn, std::move(request));
  };
  auto on_close = [this, addr](const std::shared_ptr<Connection>& conn, const Status&) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_addr_.find(addr);
    if (it != by_addr_.end() && it->second == conn) by_addr_.erase(it);
  };
  return Connection::Create(std::move(socket), options_.connection, on_request, on_close);
}

Result<std::shared_ptr<Connection>> RemotingClient::GetOrCreateConnection(const std::string& addr) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_) return Status::Unavailable("remoting client not running");
    auto it = by_addr_.find(addr);
    if (it != by_addr_.end() && it->second->IsOpen()) return it->second;
  }
  Result<std::shared_ptr<Connection>> fresh = Connect(addr);
  if (!fresh.ok()) return fresh.status();
  std::shared_ptr<Connection> conn = std::move(fresh).value();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_) {
      conn->Close(Status::Unavailable("remoting client shut down"));
      return Status::Unavailable("remoting client not running");
    }
    auto it = by_addr_.find(addr);
    if (it != by_addr_.end() && it->second->IsOpen()) {
      // Another thread connected meanwhile: use its connection.
      conn->Close(Status::Unavailable("duplicate connection"));
      return it->second;
    }
    by_addr_[addr] = conn;
  }
  conn->Start();
  return conn;
}

void RemotingClient::InvokeAsync(const std::string& addr, RemotingCommand request,
                                 std::chrono::milliseconds timeout, ResponseCallback callback) {
  Result<std::shared_ptr<Connection>> conn = GetOrCreateConnection(addr);
  if (!conn.ok()) {
    std::unique_lock<std::mutex> lock(mu_);
    if (running_) {
      lock.unlock();
      asio::post(io_, [cb = std::move(callback), s = conn.status()] { cb(s); });
    } else {
      lock.unlock();
      callback(conn.status());
    }
    return;
  }
  (*conn)->InvokeAsync(std::move(request), timeout, std::move(callback));
}

Result<RemotingCommand> RemotingClient::InvokeSync(const std::string& addr, RemotingCommand request,
                                                   std::chrono::milliseconds timeout) {
  Result<std::shared_ptr<Connection>> conn = GetOrCreateConnection(addr);
  if (!conn.ok()) return conn.status();
  auto promise = std::make_shared<std::promise<Result<RemotingCommand>>>();
  std::future<Result<RemotingCommand>> future = promise->get_future();
  int32_t opaque = request.opaque;
  (*conn)->InvokeAsync(std::move(request), timeout,
                       [promise](Result<RemotingCommand> r) { promise->set_value(std::move(r)); });
  // The connection's timer answers at `timeout`; the margin only guards against a stalled io
  // thread.
  if (future.wait_for(timeout + std::chrono::seconds(1)) != std::future_status::ready) {
    return Status::Timeout("no response to opaque " + std::to_string(opaque) + " from " + addr);
  }
  return future.get();
}

Status RemotingClient::InvokeOneway(const std::string& addr, RemotingCommand request) {
  Result<std::shared_ptr<Connection>> conn = GetOrCreateConnection(addr);
  if (!conn.ok()) return conn.status();
  return (*conn)->InvokeOneway(std::move(request));
}

void RemotingClient::CloseConnection(const std::string& addr) {
  std::shared_ptr<Connection> conn;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_addr_.find(addr);
    if (it == by_addr_.end()) return;
    conn = it->second;
    by_addr_.erase(it);
  }
  conn->Close(Status::Unavailable("closed by caller"));
}

}  // namespace holdfast::remoting
