// The writer that store_crash_test kills with SIGKILL.
//
// Usage: store_crash_child <store dir> <threads> <round> [<mode>]
//
// <mode> is a CrashMode name (crash_workload.h), "sync" by default:
//   sync            SYNC_FLUSH; each thread calls PutMessage and prints its line after it returned.
//   async-flush     ASYNC_FLUSH; each thread calls PutMessage and prints its lines in batches
//                   (1, 2, 4, ... up to 64 lines per write, never more than PIPE_BUF bytes), so the
//                   store, not the pipe, sets the pace between the parent's reads.
//   sync-put-async  SYNC_FLUSH; each thread submits PutMessageAsync with at most 64 puts in flight
//                   and `done` prints the line (on whichever thread completes the put).
//
// Prints "OPENING" before it opens the store (256 KiB commit-log segments), then "READY", then
// one line per put, every write(2) holding whole lines only:
//   ACK <round> <thread> <seq> <commitLogOffset> <queueId> <queueOffset>   (PUT_OK)
//   NACK <round> <thread> <seq> <status> <error>                           (anything else)
// An ACK line is only printed once the put returned PUT_OK (or `done` received it), so every ACK
// the parent reads (even after the kill) names a message that must survive kill -9 in that mode.
// It never exits on its own; on a failed Open it prints "OPEN_FAILED <status>" and exits with 2.
// The store's log goes to stderr.
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/logging.h"
#include "store/message_store.h"
#include "tests/crash/crash_workload.h"

namespace {

using holdfast::crash::CrashMode;
using holdfast::crash::MessageFor;
using holdfast::crash::MessageId;
using holdfast::store::PutMessageResult;

// Bytes one write(2) may carry: pipe writes up to PIPE_BUF (4096 on Linux) are atomic, so the
// parent never sees part of a batch, even when the kill lands during the write.
constexpr size_t kMaxWriteBytes = 4000;
constexpr size_t kMaxBatchLines = 64;
constexpr std::ptrdiff_t kMaxInFlight = 64;  // per thread, for sync-put-async

std::mutex out_mu;

// Writes `lines` (whole lines, each ending in '\n') to stdout with one write(2), so the parent
// never sees half a line, and the lines are out of this process before the next put.
void WriteLines(std::string_view lines) {
  std::lock_guard lock(out_mu);
  const char* p = lines.data();
  size_t left = lines.size();
  while (left > 0) {
    ssize_t n = ::write(STDOUT_FILENO, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) std::_Exit(3);  // the parent is gone
    p += n;
    left -= static_cast<size_t>(n);
  }
}

void PrintLine(std::string line) {
  line.push_back('\n');
  WriteLines(line);
}

// The ACK or NACK line for the put of `id`.
std::string ResultLine(const MessageId& id, const PutMessageResult& r) {
  if (r.ok()) {
    return fmt::format("ACK {} {} {} {} {} {}\n", id.round, id.thread, id.seq,
                       r.append.wrote_offset, holdfast::crash::QueueFor(id.thread),
                       r.append.logics_offset);
  }
  std::string error = r.error;
  for (char& c : error) {
    if (c == '\n') c = ' ';
  }
  return fmt::format("NACK {} {} {} {} {}\n", id.round, id.thread, id.seq,
                     holdfast::store::PutMessageStatusName(r.status), error);
}

// sync: one line per put, printed as soon as PutMessage returned.
void SyncPutLoop(holdfast::store::MessageStore* store, int64_t round, int64_t thread) {
  for (int64_t seq = 0;; ++seq) {
    MessageId id{round, thread, seq};
    WriteLines(ResultLine(id, store->PutMessage(MessageFor(id))));
  }
}

// async-flush: lines gathered into batches of growing size, so the first acks come at once and
// later ones cost one write(2) per up to 64 puts. A NACK is printed at once.
void AsyncFlushLoop(holdfast::store::MessageStore* store, int64_t round, int64_t thread) {
  std::string batch;
  size_t lines = 0;
  size_t limit = 1;
  for (int64_t seq = 0;; ++seq) {
    MessageId id{round, thread, seq};
    PutMessageResult r = store->PutMessage(MessageFor(id));
    std::string line = ResultLine(id, r);
    if (batch.size() + line.size() > kMaxWriteBytes) {
      WriteLines(batch);
      batch.clear();
      lines = 0;
    }
    batch += line;
    ++lines;
    if (lines >= limit || !r.ok()) {
      WriteLines(batch);
      batch.clear();
      lines = 0;
      limit = std::min(limit * 2, kMaxBatchLines);
    }
  }
}

// sync-put-async: PutMessageAsync with a bounded number of puts in flight; `done` prints the
// line with one write(2) (short, and it does not call the store) and frees a slot.
void SyncPutAsyncLoop(holdfast::store::MessageStore* store, int64_t round, int64_t thread,
                      std::counting_semaphore<kMaxInFlight>* in_flight) {
  for (int64_t seq = 0;; ++seq) {
    in_flight->acquire();
    MessageId id{round, thread, seq};
    store->PutMessageAsync(MessageFor(id), [id, in_flight](PutMessageResult r) {
      WriteLines(ResultLine(id, r));
      in_flight->release();
    });
  }
}

bool ParseInt(std::string_view s, int64_t* out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

int main(int argc, char** argv) {
  int64_t threads = 0;
  int64_t round = 0;
  std::optional<CrashMode> mode = CrashMode::kSyncPut;
  if (argc == 5) mode = holdfast::crash::ParseCrashMode(argv[4]);
  if ((argc != 4 && argc != 5) || !ParseInt(argv[2], &threads) || threads <= 0 ||
      !ParseInt(argv[3], &round) || !mode) {
    fmt::print(stderr,
               "usage: {} <store dir> <threads> <round> [sync|async-flush|sync-put-async]\n",
               argv[0]);
    return 1;
  }
  // stdout carries the protocol above; the store's log goes to stderr.
  holdfast::SetUpLogging("store_crash_child");
  holdfast::store::MessageStoreConfig config = holdfast::crash::CrashStoreConfig(argv[1], *mode);
  PrintLine("OPENING");
  auto store = holdfast::store::MessageStore::Open(config);
  if (!store.ok()) {
    PrintLine("OPEN_FAILED " + store.status().ToString());
    return 2;
  }
  PrintLine("READY");
  // The semaphores outlive the writers and every `done`: the process only ends by the kill.
  std::vector<std::unique_ptr<std::counting_semaphore<kMaxInFlight>>> in_flight;
  std::vector<std::thread> writers;
  for (int64_t t = 0; t < threads; ++t) {
    switch (*mode) {
      case CrashMode::kSyncPut:
        writers.emplace_back(SyncPutLoop, store->get(), round, t);
        break;
      case CrashMode::kAsyncFlush:
        writers.emplace_back(AsyncFlushLoop, store->get(), round, t);
        break;
      case CrashMode::kSyncPutAsync:
        in_flight.push_back(std::make_unique<std::counting_semaphore<kMaxInFlight>>(kMaxInFlight));
        writers.emplace_back(SyncPutAsyncLoop, store->get(), round, t, in_flight.back().get());
        break;
    }
  }
  for (std::thread& w : writers) w.join();  // never: the writers loop until the kill
  return 0;
}
