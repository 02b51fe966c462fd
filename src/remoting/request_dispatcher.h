// RequestDispatcher: the processor table and worker pool shared by RemotingServer and
// RemotingClient, with the admission rules of docs/protocol.md §1.5:
//  * no processor for the code: REQUEST_CODE_NOT_SUPPORTED, remark " request type <code> not
//    supported" (Java's text). Logged once per peer host and code (up to
//    kMaxRememberedUnsupported pairs), and those lines rate-limited like bad frames
//    (kBadFrameLogBurst per kBadFrameLogPeriod), so a peer trying every code cannot flood the log;
//  * more than max_requests_in_process requests queued for or running in a processor, or more
//    than max_queued_response_bytes waiting to be written on the request's connection:
//    SYSTEM_BUSY, remark "[OVERLOAD]system busy", instead of queuing without bound.
// Oneway requests never get an answer; when refused they are dropped (logged at debug).
// A request counts as "in process" from admission until its processor returns; a processor that
// keeps the ResponseWriter to answer later (long polling) no longer counts after it returns.
//
// Threads: `worker_threads` pool threads, owned here, run the processors registered kWorkerPool.
// Dispatch() is called on a connection's strand (an io thread); processors registered kInline run
// right there, in the connection's arrival order, and must never wait (see ProcessorExecution).
// RegisterProcessor() is thread-safe but meant for set-up, before traffic. Shutdown() waits for the
// processors that are queued or running, then joins the threads.
#pragma once

#include <asio.hpp>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "common/log_rate_limiter.h"
#include "remoting/connection.h"
#include "remoting/remoting_command.h"
#include "remoting/response_writer.h"

namespace holdfast::remoting {

// Distinct (peer host, unsupported code) pairs remembered as logged; beyond them, new pairs are
// logged (within the rate limit) every time, and memory stays bounded.
inline constexpr size_t kMaxRememberedUnsupported = 1024;

struct DispatcherOptions {
  size_t worker_threads = 8;
  size_t max_requests_in_process = 10'000;
  size_t max_queued_response_bytes = size_t{64} * 1024 * 1024;
  // The MQVersion ordinal stamped on the answers the dispatcher makes itself (unsupported code,
  // overload): Java clients record a response's version as the server's (docs/protocol.md §1.6).
  int32_t version = 0;
};

// Where a processor runs.
enum class ProcessorExecution {
  kWorkerPool,  // on a worker thread: may take its time (disk reads, persisting files)
  // On the io thread that read the request, in arrival order, saving two thread hand-offs per
  // request; for processors that only compute, append in memory and answer (now or later from
  // another thread). While one runs, no other connection served by that io thread is read or
  // written, so it must not block.
  kInline,
};

class RequestDispatcher {
 public:
  explicit RequestDispatcher(DispatcherOptions options);
  ~RequestDispatcher();
  RequestDispatcher(const RequestDispatcher&) = delete;
  RequestDispatcher& operator=(const RequestDispatcher&) = delete;

  // Replaces the processor for `code`.
  void RegisterProcessor(int32_t code, Processor processor,
                         ProcessorExecution execution = ProcessorExecution::kWorkerPool);

  // Answers at once (not supported / busy) or queues `request` for its processor.
  void Dispatch(const std::shared_ptr<Connection>& connection, RemotingCommand request);

  void Shutdown();

  size_t requests_in_process() const { return in_process_.load(); }

 private:
  // Constant after construction.
  const DispatcherOptions options_;
  asio::thread_pool pool_;

  // Logs a request nobody serves, once per peer host and code.
  void LogUnsupported(const Connection& connection, const RemotingCommand& request);

  std::atomic<size_t> in_process_{0};
  std::mutex mu_;
  struct Entry {
    std::shared_ptr<const Processor> processor;
    ProcessorExecution execution = ProcessorExecution::kWorkerPool;
  };
  std::unordered_map<int32_t, Entry> processors_;                 // guarded by mu_
  std::set<std::pair<std::string, int32_t>> logged_unsupported_;  // guarded by mu_
  LogRateLimiter unsupported_log_{kBadFrameLogBurst, kBadFrameLogPeriod};
};

}  // namespace holdfast::remoting
