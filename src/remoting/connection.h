// Connection: one TCP connection speaking remoting frames, used by both RemotingServer and
// RemotingClient (either peer may send requests on it, docs/protocol.md §1.5).
//
// What it does: reads and decodes frames (FrameDecoder; a decode error closes this connection and
// logs a line naming the peer, within options.bad_frame_log's limit), matches responses to
// requests by opaque, hands requests to the owner's RequestHandler, writes frames one at a time
// from a queue (never two async_writes at once), and closes itself after idle_timeout without
// reads or writes. Everything it sends is encoded with a JSON header (docs/protocol.md §1.2).
//
// Threads: a Connection owns none. Its socket, timers, decoder, write queue and pending-request
// table are used only on its strand (an executor of the owner's io_context); the public methods
// post work there and may be called from any thread. One exception saves a thread hand-off per
// response: Send() on a connection with nothing queued or being written on the strand writes the
// frame itself (a non-blocking send on the descriptor, under direct_mu_, which the strand also
// takes before it queues a frame and before it closes the socket), and posts only what the socket
// did not take. The RequestHandler, the CloseHandler and
// every ResponseCallback run on that strand, so they must not block.
//
// Lifetime: created and started by its owner, kept alive by shared_ptr while I/O is pending. After
// Close() (or a peer close, error, idle timeout) it sends nothing more: Send() returns Unavailable,
// every request waiting for a response fails with Unavailable, and the CloseHandler runs once. The
// owner's io_context must outlive every Connection made on it.
#pragma once

#include <asio.hpp>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/log_rate_limiter.h"
#include "common/status.h"
#include "remoting/frame_decoder.h"
#include "remoting/frame_format.h"
#include "remoting/remoting_command.h"

namespace holdfast::remoting {

// At most this many "undecodable frame" warnings per period, per server or client (the
// connections made with copies of one ConnectionOptions share its limiter): a peer that opens
// connection after connection with garbage adds at most 10 lines a minute to the log. The rest are
// counted and reported with the next warning let through.
inline constexpr int kBadFrameLogBurst = 10;
inline constexpr std::chrono::milliseconds kBadFrameLogPeriod{60'000};

struct ConnectionOptions {
  // A whole frame, length field included (com.rocketmq.remoting.frameMaxLength). A bigger frame
  // from the peer closes the connection.
  size_t max_frame_length = kDefaultFrameMaxLength;
  // Closed after this long with no reads and no writes (serverChannelMaxIdleTimeSeconds = 120).
  // Zero disables it.
  std::chrono::milliseconds idle_timeout{120'000};
  // Limits the warnings for undecodable frames; null logs every one.
  std::shared_ptr<LogRateLimiter> bad_frame_log =
      std::make_shared<LogRateLimiter>(kBadFrameLogBurst, kBadFrameLogPeriod);
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // A request (or oneway request) that arrived from the peer.
  using RequestHandler = std::function<void(const std::shared_ptr<Connection>&, RemotingCommand)>;
  // Runs once, when the connection closes, with the reason.
  using CloseHandler = std::function<void(const std::shared_ptr<Connection>&, const Status&)>;
  // The response, or Timeout (no response in time), Unavailable (connection closed or not open),
  // InvalidArgument (the request could not be encoded, or its opaque is already waiting here).
  using ResponseCallback = std::function<void(Result<RemotingCommand>)>;

  // `socket` must be open and bound to a strand of the owner's io_context (its executor is the
  // connection's strand). Call Start() once to begin reading.
  static std::shared_ptr<Connection> Create(asio::ip::tcp::socket socket, ConnectionOptions options,
                                            RequestHandler on_request, CloseHandler on_close);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  void Start();

  // Queues `cmd` (a response or a request) as sent; it is written after everything queued before.
  // Unavailable once closed; InvalidArgument when it cannot be encoded. OK does not mean the peer
  // got it. Thread-safe.
  Status Send(const RemotingCommand& cmd);

  // Sends `request` and calls `callback` exactly once, on the strand: with the response matched by
  // request.opaque, or an error (see ResponseCallback). A response arriving after the timeout is
  // dropped. Thread-safe.
  void InvokeAsync(RemotingCommand request, std::chrono::milliseconds timeout,
                   ResponseCallback callback);

  // Marks `request` oneway and queues it; no response is expected. Same errors as Send().
  Status InvokeOneway(RemotingCommand request);

  // Closes the socket; see the class comment for what follows. Idempotent, thread-safe.
  void Close(Status reason);

  bool IsOpen() const { return !closed_.load(std::memory_order_acquire); }
  // "ip:port" of the peer, fixed at creation.
  const std::string& peer() const { return peer_; }
  // Bytes handed to Send()/InvokeAsync() and not yet written to the socket.
  size_t queued_write_bytes() const { return queued_write_bytes_.load(std::memory_order_relaxed); }

 private:
  struct Pending {
    ResponseCallback callback;
    std::unique_ptr<asio::steady_timer> timer;
  };

  Connection(asio::ip::tcp::socket socket, ConnectionOptions options, RequestHandler on_request,
             CloseHandler on_close);

  Status QueueFrame(std::string frame);
  // The rest run on the strand.
  void Enqueue(std::string frame);
  void DoWrite();
  void DoRead();
  void OnRead(const asio::error_code& ec, size_t n);
  void HandleResponse(RemotingCommand response);
  void FailPending(int32_t opaque, Status status);
  void ArmIdleTimer();
  void OnIdleTimer(const asio::error_code& ec);
  void Touch() { last_activity_ = std::chrono::steady_clock::now(); }
  void CloseOnStrand(const Status& reason);

  // Constant after construction.
  const ConnectionOptions options_;
  const RequestHandler on_request_;
  const CloseHandler on_close_;
  std::string peer_;
  const int fd_;  // the socket's descriptor, for direct writes

  // Any thread.
  std::atomic<bool> closed_{false};
  std::atomic<size_t> queued_write_bytes_{0};
  // Held while a thread writes directly, while a frame is counted into strand_frames_, and while
  // closed_ is set.
  std::mutex direct_mu_;
  // Frames queued for or being written on the strand; a direct write needs none.
  std::atomic<size_t> strand_frames_{0};
  // steady_clock ticks of the last direct write (for the idle timeout).
  std::atomic<int64_t> last_direct_write_{0};

  // Strand only.
  asio::ip::tcp::socket socket_;
  asio::steady_timer idle_timer_;
  FrameDecoder decoder_;
  std::vector<char> read_buffer_;
  // Frames to write, oldest first; the first `writing_` of them are being written, as one gather
  // write (one system call, and the peer reads them in one go instead of one wake-up each).
  std::deque<std::string> write_queue_;
  size_t writing_ = 0;
  std::unordered_map<int32_t, Pending> pending_;
  std::chrono::steady_clock::time_point last_activity_;
};

}  // namespace holdfast::remoting
