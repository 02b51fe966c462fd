// Real kill -9 of a process writing to the store, then an expected-values check: every message the
// child acknowledged must be in the store after recovery, byte for byte, at the commit-log and
// queue offsets it was acknowledged with, and reachable through its consume queue; every
// consume-queue entry must point at a whole record of that queue (nothing torn, nothing
// duplicated, no holes). kill -9 keeps the page cache, so this holds in every flush mode; one test
// per way of writing (CrashMode, crash_workload.h), each on a store directory of its own:
//   sync            SYNC_FLUSH, PutMessage: ACK after the fdatasync covering the record
//   async-flush     ASYNC_FLUSH (mapped commit log), PutMessage: ACK once in the page cache
//   sync-put-async  SYNC_FLUSH, PutMessageAsync: ACK from `done`, after the covering fdatasync
//
// Each round: spawn store_crash_child on the store directory, let it acknowledge a random number
// of messages, or run for a random time, or kill it while it starts up; SIGKILL its process group,
// collect the ACK lines still in the pipe, then open the store here (crash recovery), check
// everything acked in all rounds so far, and shut it down cleanly before the next round.
//
// Environment: HOLDFAST_CRASH_ROUNDS (default 20, per test) for a longer run, HOLDFAST_CRASH_SEED
// to replay the random choices of a failed run (each test prints its seed first; timing still
// differs).
#include <gtest/gtest.h>
#include <signal.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/message_codec.h"
#include "common/subprocess.h"
#include "store/message_store.h"
#include "tests/crash/crash_workload.h"
#include "tests/support/temp_dir.h"

namespace holdfast::crash {
namespace {

using store::GetMessageResult;
using store::GetMessageStatus;
using store::MessageStore;

constexpr auto kStartTimeout = std::chrono::seconds(60);
constexpr auto kAckTimeout = std::chrono::seconds(30);  // well above syncFlushTimeout
constexpr auto kDrainTimeout = std::chrono::seconds(10);
constexpr size_t kMaxReportedErrors = 20;

struct Ack {
  MessageId id;
  int64_t commit_log_offset = 0;
  int32_t queue_id = 0;
  int64_t queue_offset = 0;
};

std::optional<int64_t> EnvInt(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::strtoll(v, nullptr, 10);
}

// How a round ends.
enum class KillPoint {
  kWhileOpening,     // on "OPENING": before or during the child's Open
  kRightAfterReady,  // after READY and 0..3 acks: writer threads starting, first group commits
  kAfterAcks,        // after 20..max_acks acks (ModeParams)
  kAfterDelay,       // 0..300 ms after READY, reading at most max_acks acks: once the pipe is
                     // full the writers stall and the kill lands among the background services
};

std::string_view KillPointName(KillPoint k) {
  switch (k) {
    case KillPoint::kWhileOpening:
      return "while-opening";
    case KillPoint::kRightAfterReady:
      return "after-ready";
    case KillPoint::kAfterAcks:
      return "after-acks";
    case KillPoint::kAfterDelay:
      return "after-delay";
  }
  return "?";
}

// The lines of one child run, parsed as they arrive.
struct ChildOutput {
  int64_t round = 0;
  bool opening = false;
  bool ready = false;
  std::vector<Ack> acks;
  std::vector<std::string> nacks;
  std::vector<std::string> errors;  // malformed lines, OPEN_FAILED

  void Take(const std::string& line) {
    std::istringstream in(line);
    std::string word;
    in >> word;
    if (word == "OPENING") {
      opening = true;
    } else if (word == "READY") {
      ready = true;
    } else if (word == "ACK") {
      Ack a;
      int64_t r = -1;
      in >> r >> a.id.thread >> a.id.seq >> a.commit_log_offset >> a.queue_id >> a.queue_offset;
      a.id.round = r;
      if (!in || r != round || a.queue_id != QueueFor(a.id.thread)) {
        errors.push_back("malformed ACK line: " + line);
      } else {
        acks.push_back(a);
      }
    } else if (word == "NACK") {
      // FLUSH_DISK_TIMEOUT (stored, durability unconfirmed) can happen on a slow shared disk and
      // is only counted; any other status means the store refused a valid message, which it
      // must not do here, and (as such failures repeat) would flood the pipe.
      int64_t r = -1, t = -1, seq = -1;
      std::string status;
      in >> r >> t >> seq >> status;
      if (status == store::PutMessageStatusName(store::PutMessageStatus::kFlushDiskTimeout) &&
          nacks.size() < 100) {
        nacks.push_back(line);
      } else {
        errors.push_back("the store refused a put: " + line);
      }
    } else {
      errors.push_back("child: " + line);  // OPEN_FAILED <status>, or garbage
    }
  }
};

// Reads lines into *out until done() holds; false (with *why) on timeout or end of output.
template <typename Done>
bool ReadUntil(Subprocess& child, ChildOutput* out, std::chrono::milliseconds timeout, Done done,
               std::string* why) {
  while (!done()) {
    std::optional<std::string> line = child.ReadLine(timeout);
    if (!line) {
      *why = child.eof() ? "child output ended" : "timed out waiting for the child";
      return false;
    }
    out->Take(*line);
    if (!out->errors.empty()) {
      *why = out->errors.front();
      return false;
    }
  }
  return true;
}

// Reads lines into *out for `duration`, but stops reading once it holds max_acks acks (the child
// then blocks on the full pipe) and waits out the rest. False (with *why) if the output ended or
// was bad.
bool ReadFor(Subprocess& child, ChildOutput* out, std::chrono::milliseconds duration,
             size_t max_acks, std::string* why) {
  const auto deadline = std::chrono::steady_clock::now() + duration;
  while (out->acks.size() < max_acks) {
    auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return true;
    std::optional<std::string> line = child.ReadLine(left);
    if (!line) {
      if (child.eof()) {
        *why = "child output ended";
        return false;
      }
      continue;  // the deadline passed
    }
    out->Take(*line);
    if (!out->errors.empty()) {
      *why = out->errors.front();
      return false;
    }
  }
  // Not synchronisation: the kill time itself is what is being chosen at random here.
  std::this_thread::sleep_until(deadline);
  return true;
}

struct Checker {
  std::vector<std::string> errors;

  template <typename... Args>
  void Error(fmt::format_string<Args...> f, Args&&... args) {
    if (errors.size() < kMaxReportedErrors) {
      errors.push_back(fmt::format(f, std::forward<Args>(args)...));
    } else if (errors.size() == kMaxReportedErrors) {
      errors.push_back("... (further errors not shown)");
    }
  }
};

// What one consume-queue scan found for a (round, thread): the seqs present.
using PresentSeqs = std::map<std::pair<int64_t, int64_t>, std::set<int64_t>>;

// One consume-queue entry whose record was read and checked by ScanQueues.
struct QueueEntry {
  int64_t commit_log_offset = -1;  // -1: the record did not decode or had no valid KEYS
  MessageId id;
};
// Per queue id, the entries from queue offset 0 on.
using QueueEntries = std::vector<std::vector<QueueEntry>>;

// Walks every consume queue of the topic from 0 to its max: each entry must read back, decode
// with a good body CRC, belong to that queue at that offset, and hold exactly the bytes its KEYS
// name. Returns every entry, per queue, and fills *present.
QueueEntries ScanQueues(MessageStore& store, int64_t max_round, PresentSeqs* present,
                        Checker* check) {
  QueueEntries entries(kCrashQueues);
  std::set<int64_t> seen_phy;
  for (int32_t q = 0; q < kCrashQueues; ++q) {
    const int64_t min = store.GetMinOffsetInQueue(kCrashTopic, q);
    const int64_t max = store.GetMaxOffsetInQueue(kCrashTopic, q);
    if (min != 0) check->Error("queue {}: min offset {} (nothing was ever deleted)", q, min);
    int64_t off = 0;
    while (off < max) {
      GetMessageResult r = store.GetMessage(kCrashTopic, q, off, 64, 1 << 20);
      if (r.status != GetMessageStatus::kFound || r.queue_offsets.empty() ||
          r.queue_offsets.front() != off) {
        check->Error("queue {}: GetMessage at {} (max {}) returned {} with {} messages", q, off,
                     max, store::GetMessageStatusName(r.status), r.messages.size());
        break;
      }
      for (size_t i = 0; i < r.messages.size(); ++i) {
        const int64_t qo = r.queue_offsets[i];
        if (qo != off) {
          check->Error("queue {}: offsets not dense: expected {}, got {}", q, off, qo);
          break;
        }
        ++off;
        entries[q].emplace_back();
        auto view = DecodeStoredRecord(r.messages[i], true);
        if (!view.ok()) {
          check->Error("queue {}@{}: record does not decode: {}", q, qo, view.status().ToString());
          continue;
        }
        if (view->topic != kCrashTopic || view->queue_id != q || view->queue_offset != qo) {
          check->Error("queue {}@{}: record at commit-log {} is {}-{}@{}", q, qo,
                       view->commit_log_offset, view->topic, view->queue_id, view->queue_offset);
        }
        if (!seen_phy.insert(view->commit_log_offset).second) {
          check->Error("queue {}@{}: commit-log offset {} is referenced twice", q, qo,
                       view->commit_log_offset);
        }
        std::string keys(FindProperty(view->properties, property::kKeys).value_or(""));
        std::optional<MessageId> id = ParseKeys(keys);
        if (!id || id->round > max_round || QueueFor(id->thread) != q) {
          check->Error("queue {}@{}: unexpected KEYS '{}'", q, qo, keys);
          continue;
        }
        entries[q].back() = QueueEntry{view->commit_log_offset, *id};
        if (view->body != BodyFor(*id)) {
          check->Error("queue {}@{}: body of {} ({} bytes) differs from what was written", q, qo,
                       keys, view->body.size());
        }
        if (!(*present)[{id->round, id->thread}].insert(id->seq).second) {
          check->Error("queue {}@{}: {} is stored twice", q, qo, keys);
        }
      }
      if (r.queue_offsets.back() + 1 != off) break;  // a density error was reported
    }
  }
  return entries;
}

// Checks an acknowledged message against what ScanQueues read (which checked the record's bytes):
// the entry at its queue offset must be this message at its acknowledged commit-log offset.
// False (after reporting) if not.
bool CheckAckInScan(const Ack& a, const QueueEntries& entries, Checker* check) {
  const auto& queue = entries[static_cast<size_t>(a.queue_id)];
  if (a.queue_offset >= static_cast<int64_t>(queue.size())) {
    check->Error("acked {} ({}@{}, commit-log {}): queue {} ends at {}", KeysFor(a.id), a.queue_id,
                 a.queue_offset, a.commit_log_offset, a.queue_id, queue.size());
    return false;
  }
  const QueueEntry& e = queue[static_cast<size_t>(a.queue_offset)];
  if (e.commit_log_offset != a.commit_log_offset || !(e.id == a.id)) {
    check->Error("acked {} ({}@{}, commit-log {}): the queue entry is {} at commit-log {}",
                 KeysFor(a.id), a.queue_id, a.queue_offset, a.commit_log_offset,
                 e.commit_log_offset < 0 ? "unreadable" : KeysFor(e.id), e.commit_log_offset);
    return false;
  }
  return true;
}

// Checks one acknowledged message fully: against the scan, by commit-log offset, and through
// GetMessage at its queue offset.
void CheckAck(MessageStore& store, const Ack& a, const QueueEntries& entries, Checker* check) {
  const std::string keys = KeysFor(a.id);
  CheckAckInScan(a, entries, check);
  auto msg = store.LookMessageByOffset(a.commit_log_offset);
  if (!msg.ok()) {
    check->Error("acked {} at commit-log {} ({}@{}): LookMessageByOffset failed: {}", keys,
                 a.commit_log_offset, a.queue_id, a.queue_offset, msg.status().ToString());
    return;
  }
  std::string got_keys(FindProperty(msg->properties, property::kKeys).value_or(""));
  if (got_keys != keys || msg->body != BodyFor(a.id) || msg->topic != kCrashTopic ||
      msg->queue_id != a.queue_id || msg->queue_offset != a.queue_offset ||
      msg->commit_log_offset != a.commit_log_offset) {
    check->Error("acked {} at commit-log {} ({}@{}): found {} ({}-{}@{}, commit-log {}, body {})",
                 keys, a.commit_log_offset, a.queue_id, a.queue_offset, got_keys, msg->topic,
                 msg->queue_id, msg->queue_offset, msg->commit_log_offset,
                 msg->body == BodyFor(a.id) ? "ok" : "differs");
  }
  GetMessageResult r = store.GetMessage(kCrashTopic, a.queue_id, a.queue_offset, 1);
  int64_t via_queue = -1;
  if (r.status == GetMessageStatus::kFound && r.queue_offsets.front() == a.queue_offset) {
    auto view = DecodeStoredRecord(r.messages.front(), true);
    if (view.ok()) via_queue = view->commit_log_offset;
  }
  if (via_queue != a.commit_log_offset) {
    check->Error("acked {} ({}@{}): consume queue leads to commit-log {}, acked at {}", keys,
                 a.queue_id, a.queue_offset, via_queue, a.commit_log_offset);
  }
}

struct RoundStats {
  KillPoint kill = KillPoint::kAfterAcks;
  size_t acks = 0;
  size_t drained = 0;
  double recovery_seconds = 0;
  bool truncated = false;
  std::string truncation_reason;
  int64_t scanned_bytes = 0;
  int64_t redispatched = 0;
};

// What differs between the ways of writing.
struct ModeParams {
  CrashMode mode = CrashMode::kSyncPut;
  // kAfterAcks kills after 20..max_acks acks, kAfterDelay reads at most max_acks. SYNC_FLUSH
  // appends wait for an fdatasync (thousands per second), async-flush appends and SYNC_FLUSH
  // async puts (which share one sync among many) run ten times faster or more.
  size_t max_acks = 400;
};

// Runs HOLDFAST_CRASH_ROUNDS rounds (default 20) of spawn, kill -9, recover and check, on a store
// directory of its own, and prints a summary.
void RunCrashRounds(const ModeParams& params) {
  const std::string_view mode_name = CrashModeName(params.mode);
  const int64_t rounds = EnvInt("HOLDFAST_CRASH_ROUNDS").value_or(20);
  const uint64_t seed = static_cast<uint64_t>(
      EnvInt("HOLDFAST_CRASH_SEED").value_or(static_cast<int64_t>(std::random_device{}() >> 1)));
  fmt::print("store crash test ({}): seed {} (HOLDFAST_CRASH_SEED={} to replay), {} rounds\n",
             mode_name, seed, seed, rounds);
  std::fflush(stdout);
  std::mt19937_64 rng(seed);

  const std::string child_path = SelfExeDir() + "/store_crash_child";
  testing::TempDir dir;
  const std::string store_dir = dir.Sub("store");
  const store::MessageStoreConfig config = CrashStoreConfig(store_dir, params.mode);

  std::vector<Ack> acks;  // every ack of every round so far
  std::map<int64_t, size_t> nacks_by_round;
  // What the first check after each round found per (round, thread); later checks must agree,
  // since recovered-then-cleanly-closed data may not shrink on a later crash.
  PresentSeqs settled;
  std::vector<RoundStats> stats;
  const auto started = std::chrono::steady_clock::now();

  for (int64_t round = 0; round < rounds; ++round) {
    SCOPED_TRACE(fmt::format("mode {} seed {} round {}", mode_name, seed, round));
    RoundStats st;
    const int roll = static_cast<int>(rng() % 10);
    st.kill = roll == 0   ? KillPoint::kWhileOpening
              : roll <= 2 ? KillPoint::kRightAfterReady
              : roll <= 7 ? KillPoint::kAfterAcks
                          : KillPoint::kAfterDelay;
    const int64_t threads = 2 + static_cast<int64_t>(rng() % 5);  // 2..6: queues get 1-2 writers
    const size_t target = st.kill == KillPoint::kAfterAcks    ? 20 + rng() % (params.max_acks - 19)
                          : st.kill == KillPoint::kAfterDelay ? params.max_acks
                                                              : rng() % 4;
    const auto delay = std::chrono::milliseconds(rng() % 301);

    // Run the child and kill it.
    auto spawned = Subprocess::Spawn({child_path, store_dir, std::to_string(threads),
                                      std::to_string(round), std::string(mode_name)});
    ASSERT_TRUE(spawned.ok()) << spawned.status().ToString();
    Subprocess& child = **spawned;
    ChildOutput out;
    out.round = round;
    std::string why;
    ASSERT_TRUE(ReadUntil(
        child, &out, kStartTimeout, [&] { return out.opening; }, &why))
        << why;
    if (st.kill != KillPoint::kWhileOpening) {
      ASSERT_TRUE(ReadUntil(
          child, &out, kStartTimeout, [&] { return out.ready; }, &why))
          << why;
    }
    if (st.kill == KillPoint::kAfterDelay) {
      ASSERT_TRUE(ReadFor(child, &out, delay, target, &why)) << why;
    } else if (st.kill != KillPoint::kWhileOpening) {
      ASSERT_TRUE(ReadUntil(
          child, &out, kAckTimeout, [&] { return out.acks.size() >= target; }, &why))
          << why << " (" << out.acks.size() << " of " << target << " acks)";
    }
    const size_t before_kill = out.acks.size();
    child.Kill(SIGKILL);
    const int status = child.Wait();
    // Whatever the child wrote before it died was acknowledged; read it all.
    while (std::optional<std::string> line = child.ReadLine(kDrainTimeout)) out.Take(*line);
    ASSERT_TRUE(child.eof()) << "the child's stdout stayed open after it was killed";
    ASSERT_TRUE(out.errors.empty()) << out.errors.front();
    ASSERT_EQ(status, -SIGKILL) << "the child ended on its own";
    st.acks = out.acks.size();
    st.drained = out.acks.size() - before_kill;
    const size_t first_new_ack = acks.size();
    acks.insert(acks.end(), out.acks.begin(), out.acks.end());
    nacks_by_round[round] = out.nacks.size();
    for (size_t i = 0; i < out.nacks.size() && i < 3; ++i) {
      fmt::print("{} round {}: {}\n", mode_name, round, out.nacks[i]);
    }

    // Recover here and check everything acknowledged so far.
    auto opened = MessageStore::Open(config);
    ASSERT_TRUE(opened.ok()) << "recovery after kill -9 failed: " << opened.status().ToString();
    MessageStore& store = **opened;
    const store::RecoveryInfo& info = store.recovery_info();
    if (out.ready) {
      EXPECT_TRUE(info.abnormal) << "the abort marker of the killed run was not seen";
    }
    st.recovery_seconds = info.seconds;
    st.truncated = info.truncated;
    st.truncation_reason = info.truncation_reason;
    st.scanned_bytes = info.scanned_bytes;
    st.redispatched = info.redispatched_records;
    ASSERT_TRUE(store.WaitForDispatch(std::chrono::seconds(30)));

    Checker check;
    PresentSeqs present;
    QueueEntries entries = ScanQueues(store, round, &present, &check);
    // This round's acks are read back every way; earlier rounds' (checked fully after their own
    // round) against this scan, which read and checked every stored record again.
    for (size_t i = 0; i < acks.size(); ++i) {
      if (i >= first_new_ack) {
        CheckAck(store, acks[i], entries, &check);
      } else {
        CheckAckInScan(acks[i], entries, &check);
      }
    }
    for (const auto& [writer, seqs] : present) {
      // A writer's puts are sequential, so what survives of it is a prefix (barring NACKs).
      const auto& [r, t] = writer;
      if (nacks_by_round[r] == 0 && !seqs.empty() &&
          *seqs.rbegin() + 1 != static_cast<int64_t>(seqs.size())) {
        check.Error("round {} thread {}: {} messages stored but the highest seq is {}", r, t,
                    seqs.size(), *seqs.rbegin());
      }
      auto it = settled.find(writer);
      if (r < round && (it == settled.end() || it->second != seqs)) {
        check.Error("round {} thread {}: {} messages now, {} after that round's recovery", r, t,
                    seqs.size(), it == settled.end() ? 0 : it->second.size());
      }
    }
    for (const auto& [writer, seqs] : settled) {
      if (present.count(writer) == 0) {
        check.Error("round {} thread {}: all {} messages are gone", writer.first, writer.second,
                    seqs.size());
      }
    }
    for (const auto& [writer, seqs] : present) {
      if (writer.first == round) settled[writer] = seqs;
    }
    for (const std::string& e : check.errors) ADD_FAILURE() << e;
    if (!check.errors.empty()) {
      fmt::print(
          "{} round {} ({}, {} threads, {} acks, {} drained after the kill): recovery from {} to "
          "{}, truncated={} '{}'\n",
          mode_name, round, KillPointName(st.kill), threads, st.acks, st.drained, info.start_offset,
          info.max_offset, info.truncated, info.truncation_reason);
      return;  // leave the store as it is for a post-mortem (HOLDFAST_KEEP_TEST_DIRS)
    }

    Status s = store.Shutdown();
    ASSERT_TRUE(s.ok()) << "clean shutdown after recovery failed: " << s.ToString();
    stats.push_back(st);
  }

  ASSERT_GT(acks.size(), 0u) << "no message was acknowledged in any round";

  // Summary.
  double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::map<std::string_view, int> kills;
  double rec_min = 1e9, rec_max = 0, rec_sum = 0;
  size_t drained = 0, nacks = 0;
  int truncations = 0;
  std::map<std::string, int> reasons;
  for (const RoundStats& st : stats) {
    ++kills[KillPointName(st.kill)];
    rec_min = std::min(rec_min, st.recovery_seconds);
    rec_max = std::max(rec_max, st.recovery_seconds);
    rec_sum += st.recovery_seconds;
    drained += st.drained;
    if (st.truncated) {
      ++truncations;
      ++reasons[st.truncation_reason];
    }
  }
  for (const auto& [r, n] : nacks_by_round) nacks += n;
  fmt::print(
      "store crash test ({}): seed {}, {} rounds in {:.1f}s, {} acks checked ({} read after the "
      "kill), {} nacks, commit log ends at {}\n",
      mode_name, seed, stats.size(), total, acks.size(), drained, nacks,
      acks.empty() ? 0 : std::max_element(acks.begin(), acks.end(), [](const Ack& a, const Ack& b) {
                           return a.commit_log_offset < b.commit_log_offset;
                         })->commit_log_offset);
  fmt::print("  kill points:");
  for (const auto& [name, n] : kills) fmt::print(" {}={}", name, n);
  fmt::print(
      "\n  recovery after kill -9: min {:.3f}s avg {:.3f}s max {:.3f}s; {} truncated a torn "
      "tail\n",
      rec_min, rec_sum / static_cast<double>(std::max<size_t>(stats.size(), 1)), rec_max,
      truncations);
  for (const auto& [reason, n] : reasons) fmt::print("    {}x {}\n", n, reason);
  std::fflush(stdout);
}

TEST(StoreCrashTest, EveryAcknowledgedMessageSurvivesKillNine) {
  RunCrashRounds({.mode = CrashMode::kSyncPut, .max_acks = 400});
}

TEST(StoreCrashTest, EveryAcknowledgedAsyncFlushMessageSurvivesKillNine) {
  RunCrashRounds({.mode = CrashMode::kAsyncFlush, .max_acks = 4000});
}

TEST(StoreCrashTest, EveryMessageAcknowledgedThroughPutMessageAsyncSurvivesKillNine) {
  RunCrashRounds({.mode = CrashMode::kSyncPutAsync, .max_acks = 4000});
}

}  // namespace
}  // namespace holdfast::crash
