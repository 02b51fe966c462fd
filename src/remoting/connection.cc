#include "remoting/connection.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <optional>
#include <utility>

#include "remoting/frame_codec.h"
#include "remoting/serialize_type.h"

namespace holdfast::remoting {

namespace {

constexpr size_t kReadChunk = 64 * 1024;

std::string PeerOf(const asio::ip::tcp::socket& socket) {
  asio::error_code ec;
  auto ep = socket.remote_endpoint(ec);
  if (ec) return "unknown-peer";
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

}  // namespace

std::shared_ptr<Connection> Connection::Create(asio::ip::tcp::socket socket,
                                               ConnectionOptions options, RequestHandler on_request,
                                               CloseHandler on_close) {
  return std::shared_ptr<Connection>(
      new Connection(std::move(socket), options, std::move(on_request), std::move(on_close)));
}

Connection::Connection(asio::ip::tcp::socket socket, ConnectionOptions options,
                       RequestHandler on_request, CloseHandler on_close)
    : options_(options),
      on_request_(std::move(on_request)),
      on_close_(std::move(on_close)),
      peer_(PeerOf(socket)),
      fd_(socket.native_handle()),
      socket_(std::move(socket)),
      idle_timer_(socket_.get_executor()),
      decoder_(options.max_frame_length),
      read_buffer_(kReadChunk) {
  asio::error_code ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
}

Connection::~Connection() = default;

void Connection::Start() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->Touch();
    self->ArmIdleTimer();
    self->DoRead();
  });
}

Status Connection::Send(const RemotingCommand& cmd) {
  if (closed_.load(std::memory_order_acquire)) {
    return Status::Unavailable("connection to " + peer_ + " is closed");
  }
  Result<std::string> frame = EncodeFrame(cmd, SerializeType::kJson);
  if (!frame.ok()) return frame.status();
  return QueueFrame(std::move(frame).value());
}

Status Connection::InvokeOneway(RemotingCommand request) {
  request.MarkOneway();
  return Send(request);
}

Status Connection::QueueFrame(std::string frame) {
  std::lock_guard lock(direct_mu_);
  if (closed_.load(std::memory_order_acquire)) {
    return Status::Unavailable("connection to " + peer_ + " is closed");
  }
  if (strand_frames_.load(std::memory_order_acquire) == 0) {
    // Nothing queued or being written on the strand: write from this thread, without waking the
    // io thread, as far as the socket takes it at once. The rest (if any) goes the strand's way,
    // queued before anything else can be, since direct_mu_ is held.
    ssize_t n = ::send(fd_, frame.data(), frame.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n == static_cast<ssize_t>(frame.size())) {
      last_direct_write_.store(std::chrono::steady_clock::now().time_since_epoch().count(),
                               std::memory_order_relaxed);
      return Status::Ok();
    }
    if (n > 0) frame.erase(0, static_cast<size_t>(n));
    // On an error the strand's write meets it too, and closes the connection.
  }
  strand_frames_.fetch_add(1, std::memory_order_acq_rel);
  queued_write_bytes_.fetch_add(frame.size(), std::memory_order_relaxed);
  asio::post(socket_.get_executor(), [self = shared_from_this(), f = std::move(frame)]() mutable {
    self->Enqueue(std::move(f));
  });
  return Status::Ok();
}

void Connection::InvokeAsync(RemotingCommand request, std::chrono::milliseconds timeout,
                             ResponseCallback callback) {
  Result<std::string> frame = EncodeFrame(request, SerializeType::kJson);
  {
    // Counted from now, so that a Send() after this call is not written before this request.
    std::lock_guard lock(direct_mu_);
    strand_frames_.fetch_add(1, std::memory_order_acq_rel);
  }
  asio::post(socket_.get_executor(), [self = shared_from_this(), opaque = request.opaque, timeout,
                                      frame = std::move(frame),
                                      cb = std::move(callback)]() mutable {
    Status refused;
    if (!frame.ok()) {
      refused = frame.status();
    } else if (self->closed_.load(std::memory_order_acquire)) {
      refused = Status::Unavailable("connection to " + self->peer_ + " is closed");
    } else if (self->pending_.count(opaque) != 0) {
      refused = Status::InvalidArgument("opaque " + std::to_string(opaque) +
                                        " already waiting on " + self->peer_);
    }
    if (!refused.ok()) {
      self->strand_frames_.fetch_sub(1, std::memory_order_acq_rel);
      cb(refused);
      return;
    }
    auto timer = std::make_unique<asio::steady_timer>(self->socket_.get_executor());
    timer->expires_after(timeout);
    timer->async_wait([weak = std::weak_ptr<Connection>(self), opaque](const asio::error_code& ec) {
      if (ec == asio::error::operation_aborted) return;
      if (auto conn = weak.lock()) {
        conn->FailPending(opaque, Status::Timeout("no response to opaque " +
                                                  std::to_string(opaque) + " from " + conn->peer_));
      }
    });
    self->pending_.emplace(opaque, Pending{std::move(cb), std::move(timer)});
    self->queued_write_bytes_.fetch_add(frame->size(), std::memory_order_relaxed);
    self->Enqueue(std::move(frame).value());
  });
}

void Connection::Close(Status reason) {
  asio::post(socket_.get_executor(),
             [self = shared_from_this(), r = std::move(reason)] { self->CloseOnStrand(r); });
}

void Connection::Enqueue(std::string frame) {
  if (closed_.load(std::memory_order_acquire)) {
    queued_write_bytes_.fetch_sub(frame.size(), std::memory_order_relaxed);
    strand_frames_.fetch_sub(1, std::memory_order_acq_rel);
    return;
  }
  write_queue_.push_back(std::move(frame));
  if (!writing_) DoWrite();
}

void Connection::DoWrite() {
  // Everything queued by now goes out together, up to a bound that keeps one write from holding
  // the strand for long.
  constexpr size_t kMaxBatchFrames = 64;
  constexpr size_t kMaxBatchBytes = 1 << 20;
  std::vector<asio::const_buffer> buffers;  // async_write keeps its own copy
  size_t bytes = 0;
  for (const std::string& frame : write_queue_) {
    if (buffers.size() == kMaxBatchFrames ||
        (!buffers.empty() && bytes + frame.size() > kMaxBatchBytes)) {
      break;
    }
    buffers.push_back(asio::buffer(frame));
    bytes += frame.size();
  }
  writing_ = buffers.size();
  asio::async_write(
      socket_, buffers, [self = shared_from_this(), bytes](const asio::error_code& ec, size_t) {
        self->queued_write_bytes_.fetch_sub(bytes, std::memory_order_relaxed);
        self->write_queue_.erase(
            self->write_queue_.begin(),
            self->write_queue_.begin() + static_cast<ptrdiff_t>(self->writing_));
        self->strand_frames_.fetch_sub(self->writing_, std::memory_order_acq_rel);
        self->writing_ = 0;
        if (ec) {
          self->CloseOnStrand(
              Status::IoError("write to " + self->peer_ + " failed: " + ec.message()));
          return;
        }
        self->Touch();
        if (!self->write_queue_.empty() && !self->closed_.load()) self->DoWrite();
      });
}

void Connection::DoRead() {
  socket_.async_read_some(
      asio::buffer(read_buffer_),
      [self = shared_from_this()](const asio::error_code& ec, size_t n) { self->OnRead(ec, n); });
}

void Connection::OnRead(const asio::error_code& ec, size_t n) {
  if (closed_.load(std::memory_order_acquire)) return;
  if (ec) {
    CloseOnStrand(ec == asio::error::eof
                      ? Status::Unavailable("closed by peer " + peer_)
                      : Status::IoError("read from " + peer_ + " failed: " + ec.message()));
    return;
  }
  Touch();
  decoder_.Feed(std::string_view(read_buffer_.data(), n));
  auto self = shared_from_this();
  for (;;) {
    Result<std::optional<RemotingCommand>> next = decoder_.Next();
    if (!next.ok()) {
      std::optional<uint64_t> held_back =
          options_.bad_frame_log ? options_.bad_frame_log->Admit() : std::optional<uint64_t>(0);
      if (held_back) {
        spdlog::warn("remoting: closing connection from {}: undecodable frame: {}{}", peer_,
                     next.status().ToString(), HeldBackNote(*held_back));
      }
      CloseOnStrand(next.status());
      return;
    }
    if (!next->has_value()) break;
    RemotingCommand cmd = std::move(**next);
    if (cmd.IsResponse()) {
      HandleResponse(std::move(cmd));
    } else {
      on_request_(self, std::move(cmd));
    }
    if (closed_.load(std::memory_order_acquire)) return;
  }
  DoRead();
}

void Connection::HandleResponse(RemotingCommand response) {
  auto it = pending_.find(response.opaque);
  if (it == pending_.end()) {
    spdlog::debug("remoting: dropping response with no waiting request from {}: {}", peer_,
                  response.ToString());
    return;
  }
  Pending pending = std::move(it->second);
  pending_.erase(it);
  pending.timer->cancel();
  pending.callback(std::move(response));
}

void Connection::FailPending(int32_t opaque, Status status) {
  auto it = pending_.find(opaque);
  if (it == pending_.end()) return;
  Pending pending = std::move(it->second);
  pending_.erase(it);
  pending.callback(std::move(status));
}

void Connection::ArmIdleTimer() {
  if (options_.idle_timeout.count() <= 0) return;
  idle_timer_.expires_at(last_activity_ + options_.idle_timeout);
  idle_timer_.async_wait(
      [self = shared_from_this()](const asio::error_code& ec) { self->OnIdleTimer(ec); });
}

void Connection::OnIdleTimer(const asio::error_code& ec) {
  if (ec == asio::error::operation_aborted || closed_.load(std::memory_order_acquire)) return;
  const auto direct = std::chrono::steady_clock::time_point(
      std::chrono::steady_clock::duration(last_direct_write_.load(std::memory_order_relaxed)));
  last_activity_ = std::max(last_activity_, direct);
  if (std::chrono::steady_clock::now() - last_activity_ >= options_.idle_timeout) {
    spdlog::info("remoting: closing connection {} idle for {} ms", peer_,
                 options_.idle_timeout.count());
    CloseOnStrand(Status::Timeout("idle connection " + peer_));
    return;
  }
  ArmIdleTimer();
}

void Connection::CloseOnStrand(const Status& reason) {
  {
    // Under direct_mu_, so that no direct write is using the descriptor as it closes.
    std::lock_guard lock(direct_mu_);
    if (closed_.exchange(true, std::memory_order_acq_rel)) return;
  }
  spdlog::debug("remoting: connection {} closed: {}", peer_, reason.ToString());
  asio::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  idle_timer_.cancel();
  // Writes not yet started are dropped; the one in flight completes with an error.
  size_t dropped = 0;
  for (size_t i = writing_; i < write_queue_.size(); ++i) dropped += write_queue_[i].size();
  strand_frames_.fetch_sub(write_queue_.size() - writing_, std::memory_order_acq_rel);
  write_queue_.erase(write_queue_.begin() + static_cast<ptrdiff_t>(writing_), write_queue_.end());
  queued_write_bytes_.fetch_sub(dropped, std::memory_order_relaxed);
  std::unordered_map<int32_t, Pending> pending;
  pending.swap(pending_);
  for (auto& [opaque, p] : pending) {
    p.timer->cancel();
    p.callback(Status::Unavailable("connection to " + peer_ + " closed before the response to " +
                                   "opaque " + std::to_string(opaque) + ": " + reason.ToString()));
  }
  if (on_close_) on_close_(shared_from_this(), reason);
}

}  // namespace holdfast::remoting
