// The process schedule_crash_test kills with SIGKILL: a store with its ScheduleMessageService
// running (delivering what earlier, killed runs left waiting) and one writer putting the
// scheduled workload (scheduled_workload.h).
//
// Usage: schedule_crash_child <store dir> <round> <messages>
//
// Prints "READY" once the store is open and the service started, then one line per put, each
// written with one write(2) after the put returned PUT_OK (durable: SYNC_FLUSH):
//   ACK <round> <seq> <storeTimestamp>
//   NACK <round> <seq> <status> <error>
// After <messages> puts it stops writing and only delivers. It never exits on its own; on a
// failed start it prints "START_FAILED <status>" and exits with 2. Logs go to stderr.
#include <unistd.h>

#include <fmt/format.h>

#include <charconv>
#include <cstring>
#include <string>
#include <string_view>

#include "common/logging.h"
#include "store/message_store.h"
#include "store/schedule/schedule_message_service.h"
#include "tests/crash/scheduled_workload.h"

namespace {

void PrintLine(const std::string& text) {
  std::string line = text + "\n";
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(STDOUT_FILENO, p, left);
    if (n <= 0) std::_Exit(3);  // the parent is gone
    p += n;
    left -= static_cast<size_t>(n);
  }
}

bool ParseInt(const char* text, int64_t* out) {
  const char* end = text + std::strlen(text);
  auto [p, ec] = std::from_chars(text, end, *out);
  return ec == std::errc() && p == end;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t round = 0;
  int64_t messages = 0;
  if (argc != 4 || !ParseInt(argv[2], &round) || !ParseInt(argv[3], &messages)) {
    fmt::print(stderr, "usage: {} <store dir> <round> <messages>\n", argv[0]);
    return 1;
  }
  holdfast::SetUpLogging("schedule_crash_child");
  auto store =
      holdfast::store::MessageStore::Open(holdfast::crash::ScheduledCrashStoreConfig(argv[1]));
  if (!store.ok()) {
    PrintLine("START_FAILED " + store.status().ToString());
    return 2;
  }
  holdfast::store::schedule::ScheduleMessageService service(store->get(),
                                                            holdfast::store::FileSystem::Default());
  if (holdfast::Status s = service.Start(); !s.ok()) {
    PrintLine("START_FAILED " + s.ToString());
    return 2;
  }
  PrintLine("READY");
  for (int64_t seq = 0; seq < messages; ++seq) {
    const holdfast::crash::MessageId id{round, 0, seq};
    holdfast::store::PutMessageResult r =
        (*store)->PutMessage(holdfast::crash::ScheduledMessageFor(id));
    if (r.ok()) {
      PrintLine(fmt::format("ACK {} {} {}", round, seq, r.append.store_timestamp));
    } else {
      PrintLine(fmt::format("NACK {} {} {} {}", round, seq,
                            holdfast::store::PutMessageStatusName(r.status), r.error));
    }
  }
  while (true) ::pause();  // delivering until the kill
}
