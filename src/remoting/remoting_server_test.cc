// RemotingServer and RemotingClient over real TCP on 127.0.0.1 (port 0). Every wait has a deadline;
// nothing sleeps to synchronise.
#include "remoting/remoting_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <set>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/log_rate_limiter.h"
#include "remoting/frame_codec.h"
#include "remoting/frame_decoder.h"
#include "remoting/remoting_client.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"
#include "tests/support/log_capture.h"
#include "tests/support/raw_peer.h"
#include "tests/support/wait_until.h"

namespace holdfast::remoting {
namespace {

using namespace std::chrono_literals;

constexpr int32_t kEcho = RequestCode::SEND_MESSAGE;
constexpr int32_t kNeverAnswers = 9001;
constexpr auto kWait = 5s;

// Answers every request with SUCCESS and the request's body; records oneway bodies.
class EchoServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(RemotingServerOptions{}); }

  void StartServer(RemotingServerOptions options) {
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<RemotingServer>(options);
    server_->RegisterProcessor(kEcho, [this](const RemotingCommand& req, ResponseWriter writer) {
      if (req.IsOneway()) {
        std::lock_guard<std::mutex> lock(mu_);
        oneway_bodies_.push_back(req.body);
        if (oneway_promise_) {
          oneway_promise_->set_value(req.body);
          oneway_promise_.reset();
        }
        return;
      }
      RemotingCommand resp = RemotingCommand::CreateResponse(req, ResponseCode::SUCCESS);
      resp.body = req.body;
      if (const std::string* v = req.FindExtField("k")) resp.SetExtField("k", *v);
      ASSERT_TRUE(writer.Write(std::move(resp)).ok());
    });
    server_->RegisterProcessor(kNeverAnswers, [](const RemotingCommand&, ResponseWriter) {});
    ASSERT_TRUE(server_->Start().ok());
    addr_ = "127.0.0.1:" + std::to_string(server_->port());
    client_.Start();
  }

  void TearDown() override {
    client_.Shutdown();
    if (server_) server_->Shutdown();
  }

  static RemotingCommand Echo(std::string body) {
    RemotingCommand req = RemotingCommand::CreateRequest(kEcho);
    req.body = std::move(body);
    return req;
  }

  std::unique_ptr<RemotingServer> server_;
  RemotingClient client_;
  std::string addr_;
  std::mutex mu_;
  std::vector<std::string> oneway_bodies_;
  std::unique_ptr<std::promise<std::string>> oneway_promise_;
};

using holdfast::testing::RawPeer;

// An inline processor runs on the io thread in the connection's arrival order; worker-pool
// processors may run out of order on several threads.
TEST_F(EchoServerTest, InlineProcessorSeesOneConnectionsRequestsInOrderOnTheIoThread) {
  constexpr int32_t kInlineCode = 7001;
  std::mutex mu;
  std::vector<std::string> order;
  std::set<std::thread::id> threads;
  server_->RegisterProcessor(
      kInlineCode,
      [&](const RemotingCommand& req, ResponseWriter writer) {
        {
          std::lock_guard<std::mutex> lock(mu);
          order.push_back(req.body);
          threads.insert(std::this_thread::get_id());
        }
        ASSERT_TRUE(writer.Write(RemotingCommand::CreateResponse(req, ResponseCode::SUCCESS)).ok());
      },
      ProcessorExecution::kInline);
  constexpr int kRequests = 500;
  std::atomic<int> answered{0};
  std::vector<std::string> sent;
  for (int i = 0; i < kRequests; ++i) {
    RemotingCommand req = RemotingCommand::CreateRequest(kInlineCode);
    req.body = std::to_string(i);
    sent.push_back(req.body);
    client_.InvokeAsync(addr_, std::move(req), kWait, [&](Result<RemotingCommand> r) {
      if (r.ok() && r->code == ResponseCode::SUCCESS) ++answered;
    });
  }
  ASSERT_TRUE(holdfast::testing::WaitUntil([&] { return answered.load() == kRequests; }));
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(order, sent);
  EXPECT_EQ(threads.size(), 1u) << "the server's single io thread ran every one";
}

TEST_F(EchoServerTest, SyncAsyncAndOnewayRoundTrip) {
  RemotingCommand req = Echo("hello");
  req.SetExtField("k", "v");
  Result<RemotingCommand> resp = client_.InvokeSync(addr_, req, kWait);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_TRUE(resp->IsResponse());
  EXPECT_EQ(resp->opaque, req.opaque);
  EXPECT_EQ(resp->code, ResponseCode::SUCCESS);
  EXPECT_EQ(resp->body, "hello");
  ASSERT_NE(resp->FindExtField("k"), nullptr);
  EXPECT_EQ(*resp->FindExtField("k"), "v");
  EXPECT_EQ(resp->serialize_type, SerializeType::kJson);

  std::promise<Result<RemotingCommand>> async_done;
  std::atomic<int> calls{0};
  client_.InvokeAsync(addr_, Echo("async"), kWait, [&](Result<RemotingCommand> r) {
    if (calls.fetch_add(1) == 0) async_done.set_value(std::move(r));
  });
  auto fut = async_done.get_future();
  ASSERT_EQ(fut.wait_for(kWait), std::future_status::ready);
  Result<RemotingCommand> async_resp = fut.get();
  ASSERT_TRUE(async_resp.ok()) << async_resp.status().ToString();
  EXPECT_EQ(async_resp->body, "async");

  std::future<std::string> oneway_seen;
  {
    std::lock_guard<std::mutex> lock(mu_);
    oneway_promise_ = std::make_unique<std::promise<std::string>>();
    oneway_seen = oneway_promise_->get_future();
  }
  ASSERT_TRUE(client_.InvokeOneway(addr_, Echo("oneway")).ok());
  ASSERT_EQ(oneway_seen.wait_for(kWait), std::future_status::ready);
  EXPECT_EQ(oneway_seen.get(), "oneway");
  // One connection served all three.
  EXPECT_EQ(server_->connection_count(), 1u);
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(EchoServerTest, ConcurrentRequestsFromManyThreadsAreMatchedByOpaque) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  std::atomic<int> mismatches{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::future<Result<RemotingCommand>>> async;
      for (int i = 0; i < kPerThread; ++i) {
        std::string body = std::to_string(t) + "/" + std::to_string(i);
        if (i % 2 == 0) {
          Result<RemotingCommand> r = client_.InvokeSync(addr_, Echo(body), kWait);
          if (!r.ok()) {
            failures++;
          } else if (r->body != body) {
            mismatches++;
          }
        } else {
          auto p = std::make_shared<std::promise<Result<RemotingCommand>>>();
          async.push_back(p->get_future());
          client_.InvokeAsync(addr_, Echo(body), kWait, [p, body, &mismatches](auto r) {
            if (r.ok() && r->body != body) mismatches++;
            p->set_value(std::move(r));
          });
        }
      }
      for (auto& f : async) {
        if (f.wait_for(kWait) != std::future_status::ready || !f.get().ok()) failures++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(server_->connection_count(), 1u);
}

TEST_F(EchoServerTest, UnknownCodeGetsRequestCodeNotSupported) {
  Result<RemotingCommand> resp =
      client_.InvokeSync(addr_, RemotingCommand::CreateRequest(4242), kWait);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->code, ResponseCode::REQUEST_CODE_NOT_SUPPORTED);
  EXPECT_EQ(resp->remark, " request type 4242 not supported");
}

TEST_F(EchoServerTest, GarbagePeerIsClosedWhileAnotherClientKeepsWorking) {
  ASSERT_TRUE(client_.InvokeSync(addr_, Echo("before"), kWait).ok());
  RawPeer bad(server_->port());
  ASSERT_TRUE(bad.connected());
  ASSERT_TRUE(bad.Write(std::string("\x00\x00\x00\x10\x07\x00\x00\x02garbage!", 16)));
  EXPECT_TRUE(bad.WaitClosedByServer());
  Result<RemotingCommand> after = client_.InvokeSync(addr_, Echo("after"), kWait);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->body, "after");
}

TEST_F(EchoServerTest, NegativeLengthFieldIsClosed) {
  RawPeer bad(server_->port());
  ASSERT_TRUE(bad.connected());
  ASSERT_TRUE(bad.Write(std::string("\xff\xff\xff\xff\x00\x00\x00\x00", 8)));
  EXPECT_TRUE(bad.WaitClosedByServer());
  EXPECT_TRUE(client_.InvokeSync(addr_, Echo("x"), kWait).ok());
}

TEST_F(EchoServerTest, ConnectionIsReopenedAfterItClosed) {
  ASSERT_TRUE(client_.InvokeSync(addr_, Echo("1"), kWait).ok());
  client_.CloseConnection(addr_);
  Result<RemotingCommand> r = client_.InvokeSync(addr_, Echo("2"), kWait);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "2");
}

TEST_F(EchoServerTest, TimeoutWhenProcessorNeverAnswersAndLaterRequestsStillWork) {
  auto start = std::chrono::steady_clock::now();
  Result<RemotingCommand> r =
      client_.InvokeSync(addr_, RemotingCommand::CreateRequest(kNeverAnswers), 150ms);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kTimeout) << r.status().ToString();
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
  EXPECT_TRUE(client_.InvokeSync(addr_, Echo("next"), kWait).ok());
}

TEST_F(EchoServerTest, WaitingRequestFailsWhenItsConnectionCloses) {
  std::promise<Result<RemotingCommand>> done;
  client_.InvokeAsync(addr_, RemotingCommand::CreateRequest(kNeverAnswers), 60s,
                      [&](Result<RemotingCommand> r) { done.set_value(std::move(r)); });
  client_.CloseConnection(addr_);
  auto fut = done.get_future();
  ASSERT_EQ(fut.wait_for(kWait), std::future_status::ready);
  Result<RemotingCommand> r = fut.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnavailable) << r.status().ToString();
}

TEST_F(EchoServerTest, UnreachableAddressFailsAsync) {
  std::promise<Result<RemotingCommand>> done;
  // Port 1 on loopback: nothing listens there.
  client_.InvokeAsync("127.0.0.1:1", Echo("x"), kWait,
                      [&](Result<RemotingCommand> r) { done.set_value(std::move(r)); });
  auto fut = done.get_future();
  ASSERT_EQ(fut.wait_for(kWait), std::future_status::ready);
  Result<RemotingCommand> r = fut.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnavailable) << r.status().ToString();
  Result<RemotingCommand> bad = client_.InvokeSync("no-port", Echo("x"), kWait);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidArgument);
}

class ServerOptionsTest : public EchoServerTest {
 protected:
  void SetUp() override {}
};

// Captures the log from before the server starts until after its threads are joined (TearDown).
class ServerLogTest : public ServerOptionsTest {
 protected:
  testing::LogCapture log_;
};

TEST_F(ServerLogTest, UnsupportedCodeIsLoggedOncePerPeerAndCode) {
  StartServer(RemotingServerOptions{});
  for (int i = 0; i < 3; ++i) {
    Result<RemotingCommand> r =
        client_.InvokeSync(addr_, RemotingCommand::CreateRequest(4242), kWait);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->code, ResponseCode::REQUEST_CODE_NOT_SUPPORTED);
  }
  // Another connection from the same host is the same peer.
  client_.CloseConnection(addr_);
  ASSERT_TRUE(client_.InvokeSync(addr_, RemotingCommand::CreateRequest(4242), kWait).ok());
  ASSERT_TRUE(client_.InvokeSync(addr_, RemotingCommand::CreateRequest(4243), kWait).ok());
  ASSERT_TRUE(client_.InvokeOneway(addr_, RemotingCommand::CreateRequest(4244)).ok());
  ASSERT_TRUE(holdfast::testing::WaitUntil(
      [&] { return log_.Lines("request code 4244").size() == 1; }, kWait));

  std::vector<std::string> lines = log_.Lines("request code 4242");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("warning"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("127.0.0.1:"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("REQUEST_CODE_NOT_SUPPORTED"), std::string::npos) << lines[0];
  EXPECT_EQ(log_.Lines("request code 4243").size(), 1u);
  EXPECT_NE(log_.Lines("request code 4244")[0].find("oneway"), std::string::npos);
  // A code the server serves is not logged.
  ASSERT_TRUE(client_.InvokeSync(addr_, Echo("served"), kWait).ok());
  EXPECT_TRUE(log_.Lines("request code " + std::to_string(kEcho)).empty());
}

TEST_F(ServerLogTest, BadFrameWarningsAreRateLimitedAndTheRestCounted) {
  RemotingServerOptions options;
  auto limiter = std::make_shared<LogRateLimiter>(3, std::chrono::hours(1));
  options.connection.bad_frame_log = limiter;
  StartServer(options);
  constexpr int kBadPeers = 8;
  for (int i = 0; i < kBadPeers; ++i) {
    RawPeer bad(server_->port());
    ASSERT_TRUE(bad.connected());
    ASSERT_TRUE(bad.Write(std::string("\x00\x00\x00\x10\x07\x00\x00\x02garbage!", 16)));
    ASSERT_TRUE(bad.WaitClosedByServer()) << i;
  }
  // Each connection is closed after its warning was let through or counted.
  EXPECT_EQ(log_.Lines("undecodable frame").size(), 3u);
  EXPECT_EQ(limiter->suppressed_total(), static_cast<uint64_t>(kBadPeers - 3));
  EXPECT_TRUE(client_.InvokeSync(addr_, Echo("still serving"), kWait).ok());
}

TEST_F(ServerOptionsTest, HalfFrameThenStallIsClosedByIdleTimeout) {
  RemotingServerOptions options;
  options.connection.idle_timeout = 200ms;
  StartServer(options);
  RawPeer stalled(server_->port());
  ASSERT_TRUE(stalled.connected());
  Result<std::string> frame = EncodeFrame(Echo("half"), SerializeType::kJson);
  ASSERT_TRUE(frame.ok());
  ASSERT_TRUE(stalled.Write(std::string_view(*frame).substr(0, frame->size() / 2)));
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(stalled.WaitClosedByServer());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
  Result<RemotingCommand> r = client_.InvokeSync(addr_, Echo("still serving"), kWait);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "still serving");
}

TEST_F(ServerOptionsTest, OversizeFrameClosesTheConnection) {
  RemotingServerOptions options;
  options.connection.max_frame_length = 1024;
  StartServer(options);
  Result<RemotingCommand> big = client_.InvokeSync(addr_, Echo(std::string(4096, 'x')), kWait);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), Status::Code::kUnavailable) << big.status().ToString();
  Result<RemotingCommand> small = client_.InvokeSync(addr_, Echo("small"), kWait);
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  EXPECT_EQ(small->body, "small");
}

TEST_F(ServerOptionsTest, OverloadAnswersSystemBusy) {
  RemotingServerOptions options;
  options.dispatcher.max_requests_in_process = 1;
  StartServer(options);
  constexpr int32_t kBlocking = 9002;
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  server_->RegisterProcessor(kBlocking, [&](const RemotingCommand& req, ResponseWriter writer) {
    entered.set_value();
    released.wait_for(kWait);
    (void)writer.Write(RemotingCommand::CreateResponse(req, ResponseCode::SUCCESS));
  });
  std::promise<Result<RemotingCommand>> first;
  client_.InvokeAsync(addr_, RemotingCommand::CreateRequest(kBlocking), kWait,
                      [&](Result<RemotingCommand> r) { first.set_value(std::move(r)); });
  ASSERT_EQ(entered.get_future().wait_for(kWait), std::future_status::ready);

  Result<RemotingCommand> busy = client_.InvokeSync(addr_, Echo("x"), kWait);
  ASSERT_TRUE(busy.ok()) << busy.status().ToString();
  EXPECT_EQ(busy->code, ResponseCode::SYSTEM_BUSY);
  EXPECT_EQ(busy->remark, "[OVERLOAD]system busy");

  release.set_value();
  auto fut = first.get_future();
  ASSERT_EQ(fut.wait_for(kWait), std::future_status::ready);
  Result<RemotingCommand> r = fut.get();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->code, ResponseCode::SUCCESS);
  // The slot is free again once the processor has returned.
  auto deadline = std::chrono::steady_clock::now() + kWait;
  Result<RemotingCommand> again = client_.InvokeSync(addr_, Echo("again"), kWait);
  while (again.ok() && again->code == ResponseCode::SYSTEM_BUSY &&
         std::chrono::steady_clock::now() < deadline) {
    again = client_.InvokeSync(addr_, Echo("again"), kWait);
  }
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->code, ResponseCode::SUCCESS);
}

TEST_F(ServerOptionsTest, PeerThatDoesNotReadGetsSystemBusyBeyondItsQueuedBytesCap) {
  RemotingServerOptions options;
  constexpr size_t kCap = size_t{4} << 20;
  options.dispatcher.max_queued_response_bytes = kCap;
  StartServer(options);
  constexpr int32_t kBig = 9005;
  std::mutex mu;
  std::condition_variable cv;
  int answered = 0;
  server_->RegisterProcessor(kBig, [&](const RemotingCommand& req, ResponseWriter writer) {
    RemotingCommand resp = RemotingCommand::CreateResponse(req, ResponseCode::SUCCESS);
    resp.body.assign(size_t{1} << 20, 'b');
    EXPECT_TRUE(writer.Write(std::move(resp)).ok());
    std::lock_guard<std::mutex> lock(mu);
    ++answered;
    cv.notify_all();
  });
  RawPeer peer(server_->port());
  ASSERT_TRUE(peer.connected());
  auto send = [&](int32_t opaque) {
    RemotingCommand req = RemotingCommand::CreateRequest(kBig);
    req.opaque = opaque;
    Result<std::string> frame = EncodeFrame(req, SerializeType::kJson);
    return frame.ok() && peer.Write(*frame);
  };
  // Pipeline requests without reading until the server holds more than the cap unwritten.
  bool over_cap = false;
  for (int i = 1; i <= 64 && !over_cap; ++i) {
    ASSERT_TRUE(send(i));
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, kWait, [&] { return answered >= i; }));
    auto conns = server_->connections();
    ASSERT_EQ(conns.size(), 1u);
    over_cap = conns[0]->queued_write_bytes() > kCap;
  }
  ASSERT_TRUE(over_cap);
  ASSERT_TRUE(send(1000));
  // Drain everything; the last request was refused without running its processor.
  FrameDecoder decoder(kDefaultFrameMaxLength);
  std::optional<RemotingCommand> refused;
  while (!refused) {
    std::string bytes = peer.ReadSome();
    ASSERT_FALSE(bytes.empty());
    decoder.Feed(bytes);
    for (;;) {
      auto next = decoder.Next();
      ASSERT_TRUE(next.ok());
      if (!next->has_value()) break;
      if ((*next)->opaque == 1000) refused = std::move(**next);
    }
  }
  EXPECT_EQ(refused->code, ResponseCode::SYSTEM_BUSY);
  EXPECT_EQ(refused->remark, "[OVERLOAD]system busy");
}

TEST_F(ServerOptionsTest, ProcessorAnswersLaterFromAnotherThread) {
  StartServer(RemotingServerOptions{});
  constexpr int32_t kLater = 9003;
  std::promise<ResponseWriter> parked;
  std::promise<RemotingCommand> parked_request;
  server_->RegisterProcessor(kLater, [&](const RemotingCommand& req, ResponseWriter writer) {
    parked_request.set_value(req);
    parked.set_value(writer);
  });
  std::promise<Result<RemotingCommand>> done;
  client_.InvokeAsync(addr_, RemotingCommand::CreateRequest(kLater), kWait,
                      [&](Result<RemotingCommand> r) { done.set_value(std::move(r)); });
  auto writer_future = parked.get_future();
  ASSERT_EQ(writer_future.wait_for(kWait), std::future_status::ready);
  ResponseWriter writer = writer_future.get();
  RemotingCommand req = parked_request.get_future().get();
  std::thread answerer([writer, req] {
    RemotingCommand resp = RemotingCommand::CreateResponse(req, ResponseCode::SUCCESS, "late");
    EXPECT_TRUE(writer.Write(resp).ok());
    // A second answer is refused.
    EXPECT_EQ(writer.Write(resp).code(), Status::Code::kAlreadyExists);
  });
  answerer.join();
  auto fut = done.get_future();
  ASSERT_EQ(fut.wait_for(kWait), std::future_status::ready);
  Result<RemotingCommand> r = fut.get();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->remark, "late");
}

TEST_F(ServerOptionsTest, ServerSendsRequestsToTheClientsProcessor) {
  StartServer(RemotingServerOptions{});
  std::promise<std::shared_ptr<Connection>> channel;
  std::atomic<bool> channel_set{false};
  server_->RegisterProcessor(
      RequestCode::HEART_BEAT, [&](const RemotingCommand& req, ResponseWriter writer) {
        if (!channel_set.exchange(true)) {
          channel.set_value(writer.connection());
        }
        (void)writer.Write(RemotingCommand::CreateResponse(req, ResponseCode::SUCCESS));
      });
  std::promise<std::string> notified;
  client_.RegisterProcessor(RequestCode::NOTIFY_CONSUMER_IDS_CHANGED,
                            [&](const RemotingCommand& req, ResponseWriter writer) {
                              EXPECT_TRUE(req.IsOneway());
                              EXPECT_TRUE(writer.oneway());
                              notified.set_value(*req.FindExtField("consumerGroup"));
                            });
  constexpr int32_t kAskClient = 9004;
  client_.RegisterProcessor(kAskClient, [](const RemotingCommand& req, ResponseWriter writer) {
    RemotingCommand resp = RemotingCommand::CreateResponse(req, ResponseCode::SUCCESS);
    resp.body = "from client";
    (void)writer.Write(std::move(resp));
  });
  ASSERT_TRUE(
      client_.InvokeSync(addr_, RemotingCommand::CreateRequest(RequestCode::HEART_BEAT), kWait)
          .ok());
  auto channel_future = channel.get_future();
  ASSERT_EQ(channel_future.wait_for(kWait), std::future_status::ready);
  std::shared_ptr<Connection> conn = channel_future.get();
  ASSERT_NE(conn, nullptr);

  RemotingCommand notify = RemotingCommand::CreateRequest(RequestCode::NOTIFY_CONSUMER_IDS_CHANGED);
  notify.SetExtField("consumerGroup", "G1");
  ASSERT_TRUE(conn->InvokeOneway(notify).ok());
  auto notified_future = notified.get_future();
  ASSERT_EQ(notified_future.wait_for(kWait), std::future_status::ready);
  EXPECT_EQ(notified_future.get(), "G1");

  std::promise<Result<RemotingCommand>> answer;
  conn->InvokeAsync(RemotingCommand::CreateRequest(kAskClient), kWait,
                    [&](Result<RemotingCommand> r) { answer.set_value(std::move(r)); });
  auto answer_future = answer.get_future();
  ASSERT_EQ(answer_future.wait_for(kWait), std::future_status::ready);
  Result<RemotingCommand> r = answer_future.get();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "from client");
}

TEST_F(ServerOptionsTest, ShutdownFailsRequestsWaitingOnTheServer) {
  StartServer(RemotingServerOptions{});
  std::promise<Result<RemotingCommand>> done;
  client_.InvokeAsync(addr_, RemotingCommand::CreateRequest(kNeverAnswers), 60s,
                      [&](Result<RemotingCommand> r) { done.set_value(std::move(r)); });
  // Make sure the request reached the server before it goes away.
  ASSERT_TRUE(client_.InvokeSync(addr_, Echo("sync point"), kWait).ok());
  server_->Shutdown();
  auto fut = done.get_future();
  ASSERT_EQ(fut.wait_for(kWait), std::future_status::ready);
  EXPECT_EQ(fut.get().status().code(), Status::Code::kUnavailable);
}

}  // namespace
}  // namespace holdfast::remoting
