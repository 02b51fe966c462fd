// The writer that store_crash_test kills with SIGKILL.
//
// Usage: store_crash_child <store dir> <threads> <round>
//
// Prints "OPENING" before it opens the store (SYNC_FLUSH, 256 KiB commit-log segments), then
// "READY", then one line per put from each of <threads> threads, each line written whole with one
// write(2) after PutMessage returned:
//   ACK <round> <thread> <seq> <commitLogOffset> <queueId> <queueOffset>   (PUT_OK)
//   NACK <round> <thread> <seq> <status> <error>                           (anything else)
// An ACK line is only printed once the put is durable, so every ACK the parent reads (even after
// the kill) names a message that must survive. It never exits on its own; on a failed Open it
// prints "OPEN_FAILED <status>" and exits with 2. The store's log goes to stderr.
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store/message_store.h"
#include "tests/crash/crash_workload.h"

namespace {

std::mutex out_mu;

// Writes line + '\n' to stdout with one write(2), so the parent never sees half a line (pipe
// writes up to PIPE_BUF are atomic), and the line is out of this process before the next put.
void PrintLine(std::string line) {
  line.push_back('\n');
  std::lock_guard lock(out_mu);
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(STDOUT_FILENO, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) std::_Exit(3);  // the parent is gone
    p += n;
    left -= static_cast<size_t>(n);
  }
}

bool ParseInt(std::string_view s, int64_t* out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

void WriteLoop(holdfast::store::MessageStore* store, int64_t round, int64_t thread) {
  for (int64_t seq = 0;; ++seq) {
    holdfast::crash::MessageId id{round, thread, seq};
    holdfast::store::PutMessageResult r = store->PutMessage(holdfast::crash::MessageFor(id));
    if (r.ok()) {
      PrintLine(fmt::format("ACK {} {} {} {} {} {}", round, thread, seq, r.append.wrote_offset,
                            holdfast::crash::QueueFor(thread), r.append.logics_offset));
    } else {
      std::string error = r.error;
      for (char& c : error) {
        if (c == '\n') c = ' ';
      }
      PrintLine(fmt::format("NACK {} {} {} {} {}", round, thread, seq,
                            holdfast::store::PutMessageStatusName(r.status), error));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  int64_t threads = 0;
  int64_t round = 0;
  if (argc != 4 || !ParseInt(argv[2], &threads) || threads <= 0 || !ParseInt(argv[3], &round)) {
    fmt::print(stderr, "usage: {} <store dir> <threads> <round>\n", argv[0]);
    return 1;
  }
  // stdout carries the protocol above; the store's log goes to stderr.
  spdlog::set_default_logger(spdlog::stderr_logger_mt("stderr"));
  holdfast::store::MessageStoreConfig config = holdfast::crash::CrashStoreConfig(argv[1]);
  PrintLine("OPENING");
  auto store = holdfast::store::MessageStore::Open(config);
  if (!store.ok()) {
    PrintLine("OPEN_FAILED " + store.status().ToString());
    return 2;
  }
  PrintLine("READY");
  std::vector<std::thread> writers;
  for (int64_t t = 0; t < threads; ++t) writers.emplace_back(WriteLoop, store->get(), round, t);
  for (std::thread& w : writers) w.join();  // never: the writers loop until the kill
  return 0;
}
