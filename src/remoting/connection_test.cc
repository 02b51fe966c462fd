// Connection's direct writes: Send() on a connection with nothing queued on its strand writes from
// the calling thread, and never overtakes, splits or interleaves with frames the strand writes.
// Real TCP on 127.0.0.1; the io_context runs only where a test says so. Every wait has a deadline.
#include "remoting/connection.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "remoting/frame_decoder.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::remoting {
namespace {

using namespace std::chrono_literals;

// A Connection on the accepting side of a loopback TCP pair, and the other end as a plain
// blocking socket that the test reads frames from (5 s receive timeout).
class DirectWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    asio::ip::tcp::acceptor acceptor(io_, {asio::ip::make_address("127.0.0.1"), 0});
    peer_.connect(acceptor.local_endpoint());
    asio::ip::tcp::socket accepted(asio::make_strand(io_));
    acceptor.accept(accepted);
    timeval tv{5, 0};
    ::setsockopt(peer_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    conn_ = Connection::Create(
        std::move(accepted), ConnectionOptions{},
        [](const std::shared_ptr<Connection>&, RemotingCommand) {},
        [](const std::shared_ptr<Connection>&, const Status&) {});
  }
  void TearDown() override {
    conn_->Close(Status::Unavailable("test over"));
    io_.restart();
    io_.run_for(1s);
  }

  // The next frame from the peer socket; fails the test after 5 s without one.
  RemotingCommand ReadFrame() {
    while (true) {
      auto next = decoder_.Next();
      EXPECT_TRUE(next.ok()) << next.status().ToString();
      if (!next.ok()) return RemotingCommand{};
      if (next->has_value()) return std::move(**next);
      char buf[64 * 1024];
      ssize_t n = ::recv(peer_.native_handle(), buf, sizeof buf, 0);
      if (n <= 0) {
        ADD_FAILURE() << "no frame from the connection within 5 s";
        return RemotingCommand{};
      }
      decoder_.Feed(std::string_view(buf, static_cast<size_t>(n)));
    }
  }

  // True when the peer has bytes to read within `wait`.
  bool PeerReadable(std::chrono::milliseconds wait) {
    pollfd p{peer_.native_handle(), POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(wait.count())) > 0;
  }

  static RemotingCommand Response(int32_t opaque, std::string body) {
    RemotingCommand request = RemotingCommand::CreateRequest(RequestCode::SEND_MESSAGE);
    request.opaque = opaque;
    RemotingCommand response = RemotingCommand::CreateResponse(request, ResponseCode::SUCCESS);
    response.body = std::move(body);
    return response;
  }

  asio::io_context io_;
  asio::ip::tcp::socket peer_{io_};
  std::shared_ptr<Connection> conn_;
  FrameDecoder decoder_{64 << 20};
};

TEST_F(DirectWriteTest, SendOnAnIdleConnectionIsWrittenWithoutTheIoThread) {
  ASSERT_TRUE(conn_->Send(Response(7, "direct")).ok());
  // The io_context has never run: only a write from this thread can have delivered it.
  RemotingCommand got = ReadFrame();
  EXPECT_EQ(got.opaque, 7);
  EXPECT_EQ(got.body, "direct");
  EXPECT_EQ(conn_->queued_write_bytes(), 0u);
}

TEST_F(DirectWriteTest, SendAfterARequestWaitingForTheStrandDoesNotOvertakeIt) {
  RemotingCommand request = RemotingCommand::CreateRequest(RequestCode::HEART_BEAT);
  request.opaque = 1;
  conn_->InvokeAsync(request, 1s, [](Result<RemotingCommand>) {});
  ASSERT_TRUE(conn_->Send(Response(2, "after the request")).ok());
  EXPECT_FALSE(PeerReadable(50ms)) << "the response went out before the request it follows";

  std::thread io([this] { io_.run_for(2s); });
  RemotingCommand first = ReadFrame();
  RemotingCommand second = ReadFrame();
  io.join();
  EXPECT_EQ(first.opaque, 1);
  EXPECT_FALSE(first.IsResponse());
  EXPECT_EQ(second.opaque, 2);
  EXPECT_EQ(second.body, "after the request");
}

TEST_F(DirectWriteTest, AFrameTheSocketTakesInPartIsFinishedBeforeTheNextOne) {
  // Far more than the socket buffers hold while the peer does not read: the direct write sends
  // part of it, the strand the rest; the small frame after it must wait for that rest.
  std::string big(32 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 23);
  ASSERT_TRUE(conn_->Send(Response(1, big)).ok());
  EXPECT_GT(conn_->queued_write_bytes(), 0u) << "the socket took 32 MiB at once";
  ASSERT_TRUE(conn_->Send(Response(2, "small")).ok());

  std::thread io([this] { io_.run_for(5s); });
  RemotingCommand first = ReadFrame();
  RemotingCommand second = ReadFrame();
  io.join();
  EXPECT_EQ(first.opaque, 1);
  EXPECT_TRUE(first.body == big) << "the big frame arrived damaged";
  EXPECT_EQ(second.opaque, 2);
  EXPECT_EQ(second.body, "small");
}

TEST_F(DirectWriteTest, SendsFromManyThreadsWhileTheConnectionClosesNeverUseAClosedSocket) {
  auto work = asio::make_work_guard(io_);
  std::thread io([this] { io_.run(); });
  // The peer reads everything until the connection closes.
  std::atomic<int64_t> received{0};
  std::thread drain([&] {
    char buf[64 * 1024];
    while (true) {
      ssize_t n = ::recv(peer_.native_handle(), buf, sizeof buf, 0);
      if (n <= 0) break;
      received.fetch_add(n);
    }
  });
  std::atomic<bool> stop{false};
  std::atomic<int> after_close_ok{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < 200000 && !stop.load(); ++i) {
        bool closed_before = !conn_->IsOpen();
        Status s = conn_->Send(Response(t * 1000000 + i, "x"));
        if (closed_before && s.ok()) after_close_ok.fetch_add(1);
      }
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (received.load() < 64 * 1024 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  ASSERT_GE(received.load(), 64 * 1024) << "the senders' frames did not arrive";
  conn_->Close(Status::Unavailable("closing under load"));
  while (conn_->IsOpen() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_FALSE(conn_->IsOpen()) << "Close() did not take effect within 10 s";
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(conn_->Send(Response(1, "late")).ok());
  stop.store(true);
  for (auto& s : senders) s.join();
  work.reset();
  io_.stop();
  io.join();
  drain.join();
  // Senders that saw it closed before their call were all refused.
  EXPECT_EQ(after_close_ok.load(), 0);
}

}  // namespace
}  // namespace holdfast::remoting
