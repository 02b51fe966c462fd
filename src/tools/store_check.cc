#include "tools/store_check.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/message_codec.h"
#include "store/message_store.h"

namespace holdfast::tools {

namespace {

constexpr const char* kTopic = "SelfCheck";
constexpr int kQueues = 4;

std::string BodyOf(int64_t run, int64_t seq, int size) {
  std::string body = fmt::format("run {} message {} ", run, seq);
  while (static_cast<int>(body.size()) < size)
    body += static_cast<char>('a' + (seq + body.size()) % 26);
  body.resize(static_cast<size_t>(size));
  return body;
}

store::MessageStoreConfig ConfigFor(const StoreCheckOptions& o) {
  store::MessageStoreConfig c;
  c.store_path_root_dir = o.dir;
  c.flush_disk_type =
      o.sync_flush ? store::FlushDiskType::kSyncFlush : store::FlushDiskType::kAsyncFlush;
  // Modest segments keep the demo's footprint small; production uses the 1 GiB default.
  c.mapped_file_size_commit_log = 64LL << 20;
  return c;
}

// Checks that queue offsets [from, to) of every queue hold exactly the expected bodies.
bool VerifyQueues(store::MessageStore& store, const std::vector<int64_t>& from, int64_t run,
                  const std::vector<std::vector<int64_t>>& expected_seqs, int body_size,
                  std::ostream& out) {
  for (int q = 0; q < kQueues; ++q) {
    int64_t offset = from[q];
    size_t k = 0;
    while (k < expected_seqs[q].size()) {
      store::GetMessageResult r = store.GetMessage(kTopic, q, offset, 32, 1 << 20);
      if (r.status != store::GetMessageStatus::kFound) {
        fmt::print(out, "FAIL: queue {} offset {}: {}\n", q, offset,
                   store::GetMessageStatusName(r.status));
        return false;
      }
      for (const std::string& record : r.messages) {
        auto view = DecodeStoredRecord(record, true);
        if (!view.ok()) {
          fmt::print(out, "FAIL: queue {}: {}\n", q, view.status().ToString());
          return false;
        }
        if (k >= expected_seqs[q].size()) break;
        if (view->body != BodyOf(run, expected_seqs[q][k], body_size)) {
          fmt::print(out, "FAIL: queue {} offset {} holds other bytes than sent\n", q,
                     view->queue_offset);
          return false;
        }
        ++k;
      }
      offset = r.next_begin_offset;
    }
  }
  return true;
}

}  // namespace

int RunStoreCheck(const StoreCheckOptions& o, std::ostream& out) {
  auto config = ConfigFor(o);
  auto opened = store::MessageStore::Open(config);
  if (!opened.ok()) {
    fmt::print(out, "FAIL: cannot open the store in {}: {}\n", o.dir, opened.status().ToString());
    return 1;
  }
  std::unique_ptr<store::MessageStore> store = std::move(opened).value();
  const auto& rec = store->recovery_info();
  fmt::print(out,
             "store {}: {} start, commit log {} bytes, recovery scanned {} bytes in {:.3f} s\n",
             o.dir, rec.abnormal ? "crash-recovery" : "clean", store->GetMaxPhyOffset(),
             rec.scanned_bytes, rec.seconds);

  const int64_t run = store->GetMaxPhyOffset();  // distinguishes this run's bodies
  std::vector<int64_t> start(kQueues);
  for (int q = 0; q < kQueues; ++q) start[q] = store->GetMaxOffsetInQueue(kTopic, q);

  // Thread t sends seq t, t + kQueues, ... to queue t, so each queue's order is its send order
  // while the threads still share group commits.
  std::vector<std::vector<int64_t>> seqs(kQueues);
  std::atomic<int> failures{0};
  auto begin = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kQueues; ++t) {
    threads.emplace_back([&, t] {
      for (int64_t seq = t; seq < o.messages; seq += kQueues) {
        MessageExt m;
        m.topic = kTopic;
        m.queue_id = t;
        m.body = BodyOf(run, seq, o.body_size);
        m.born_timestamp = NowMillis();
        m.born_host = HostAddress::Ipv4(127, 0, 0, 1, 0);
        m.store_host = HostAddress::Ipv4(127, 0, 0, 1, 10911);
        m.properties = EncodeProperties({{"KEYS", fmt::format("check-{}-{}", run, seq)}});
        store::PutMessageResult r = store->PutMessage(std::move(m));
        if (!r.ok()) {
          fmt::print(out, "FAIL: append {}: {} {}\n", seq, store::PutMessageStatusName(r.status),
                     r.error);
          failures.fetch_add(1);
          return;
        }
        seqs[static_cast<size_t>(t)].push_back(seq);
      }
    });
  }
  for (auto& th : threads) th.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  if (failures.load() > 0) return 1;
  fmt::print(out, "appended {} messages of {} bytes ({}) in {:.2f} s\n", o.messages, o.body_size,
             o.sync_flush ? "SYNC_FLUSH: each acknowledged after fdatasync" : "ASYNC_FLUSH", secs);

  if (!store->WaitForDispatch(std::chrono::seconds(30)) ||
      !VerifyQueues(*store, start, run, seqs, o.body_size, out)) {
    return 1;
  }
  int64_t probe = o.messages / 2;
  auto found = store->QueryMessage(kTopic, fmt::format("check-{}-{}", run, probe), 4);
  if (found.size() != 1 || found[0].body != BodyOf(run, probe, o.body_size)) {
    fmt::print(out, "FAIL: lookup by key check-{}-{} found {} messages\n", run, probe,
               found.size());
    return 1;
  }
  fmt::print(out, "read back every message byte for byte; lookup by key works\n");

  if (Status s = store->Shutdown(); !s.ok()) {
    fmt::print(out, "FAIL: shutdown: {}\n", s.ToString());
    return 1;
  }
  store.reset();
  auto reopened = store::MessageStore::Open(config);
  if (!reopened.ok()) {
    fmt::print(out, "FAIL: reopen: {}\n", reopened.status().ToString());
    return 1;
  }
  if ((*reopened)->recovery_info().abnormal ||
      !VerifyQueues(**reopened, start, run, seqs, o.body_size, out)) {
    fmt::print(out, "FAIL: after reopen\n");
    return 1;
  }
  fmt::print(out, "reopened after a clean shutdown: all {} messages still there\n", o.messages);
  fmt::print(out, "store self-check OK\n");
  return 0;
}

}  // namespace holdfast::tools
