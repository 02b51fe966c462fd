// The workload shared by store_crash_child (which writes it) and store_crash_test (which checks
// it after every kill -9): the messages are a pure function of (round, thread, seq), so the test
// can tell from a record's KEYS exactly which bytes it must hold.
#pragma once

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/message.h"
#include "store/message_store_config.h"
#include "tests/support/store_fixture.h"

namespace holdfast::crash {

inline constexpr std::string_view kCrashTopic = "Crash";
inline constexpr int32_t kCrashQueues = 4;
inline constexpr size_t kMinBodySize = 50;
inline constexpr size_t kMaxBodySize = 3000;

// How the child writes, and so what its ACKs promise. kill -9 keeps the page cache, so in every
// mode every acknowledged message must survive the kill.
enum class CrashMode {
  kSyncPut,       // SYNC_FLUSH, blocking PutMessage: ACK after the fdatasync covering the record
  kAsyncFlush,    // ASYNC_FLUSH (commit log written through mappings), blocking PutMessage: ACK
                  // once the record is in the page cache
  kSyncPutAsync,  // SYNC_FLUSH, PutMessageAsync: ACK from `done`, after the covering fdatasync
};

// The name the child takes as its mode argument (and the test prints).
inline std::string_view CrashModeName(CrashMode mode) {
  switch (mode) {
    case CrashMode::kSyncPut:
      return "sync";
    case CrashMode::kAsyncFlush:
      return "async-flush";
    case CrashMode::kSyncPutAsync:
      return "sync-put-async";
  }
  return "?";
}

// The inverse of CrashModeName; nullopt for anything else.
inline std::optional<CrashMode> ParseCrashMode(std::string_view name) {
  for (CrashMode m : {CrashMode::kSyncPut, CrashMode::kAsyncFlush, CrashMode::kSyncPutAsync}) {
    if (name == CrashModeName(m)) return m;
  }
  return std::nullopt;
}

// The config both the child and the checker open the store with: the mode's flush type, and
// 256 KiB commit-log segments (pre-warmed) so segments roll during every run.
inline store::MessageStoreConfig CrashStoreConfig(const std::string& dir,
                                                  CrashMode mode = CrashMode::kSyncPut) {
  store::MessageStoreConfig config = testing::SmallStoreConfig(
      dir, mode == CrashMode::kAsyncFlush ? store::FlushDiskType::kAsyncFlush
                                          : store::FlushDiskType::kSyncFlush);
  config.mapped_file_size_commit_log = 256 * 1024;
  config.warm_mapped_file_enable = true;
  return config;
}

// Which message this is: the writer's round (child run), thread and per-thread sequence number.
struct MessageId {
  int64_t round = 0;
  int64_t thread = 0;
  int64_t seq = 0;
  bool operator==(const MessageId&) const = default;
};

inline int32_t QueueFor(int64_t thread) { return static_cast<int32_t>(thread % kCrashQueues); }

inline std::string KeysFor(const MessageId& id) {
  return fmt::format("r{}-t{}-s{}", id.round, id.thread, id.seq);
}

// The inverse of KeysFor; nullopt for anything else.
inline std::optional<MessageId> ParseKeys(std::string_view keys) {
  MessageId id;
  int64_t* fields[] = {&id.round, &id.thread, &id.seq};
  const char prefixes[] = {'r', 't', 's'};
  const char* p = keys.data();
  const char* end = keys.data() + keys.size();
  for (int i = 0; i < 3; ++i) {
    if (i > 0) {
      if (p == end || *p != '-') return std::nullopt;
      ++p;
    }
    if (p == end || *p != prefixes[i]) return std::nullopt;
    ++p;
    auto [next, ec] = std::from_chars(p, end, *fields[i]);
    if (ec != std::errc() || next == p) return std::nullopt;
    p = next;
  }
  if (p != end) return std::nullopt;
  return id;
}

// splitmix64: a cheap, well-mixed step for deterministic bodies.
inline uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// kMinBodySize..kMaxBodySize bytes, all derived from id.
inline std::string BodyFor(const MessageId& id) {
  uint64_t state =
      Mix(Mix(Mix(static_cast<uint64_t>(id.round)) ^ static_cast<uint64_t>(id.thread)) ^
          static_cast<uint64_t>(id.seq));
  size_t size = kMinBodySize + state % (kMaxBodySize - kMinBodySize + 1);
  std::string body = KeysFor(id) + ":";
  body.reserve(size);
  while (body.size() < size) {
    state = Mix(state);
    for (int i = 0; i < 8 && body.size() < size; ++i) {
      body.push_back(static_cast<char>(state >> (8 * i)));
    }
  }
  body.resize(size);
  return body;
}

inline MessageExt MessageFor(const MessageId& id) {
  MessageExt m;
  m.topic = std::string(kCrashTopic);
  m.queue_id = QueueFor(id.thread);
  m.born_timestamp = 1700000000000 + id.seq;
  m.born_host = HostAddress::Ipv4(127, 0, 0, 1, 40000 + static_cast<int32_t>(id.thread));
  m.store_host = HostAddress::Ipv4(127, 0, 0, 1, 10911);
  m.body = BodyFor(id);
  m.properties = EncodeProperties({{std::string(property::kKeys), KeysFor(id)}});
  return m;
}

}  // namespace holdfast::crash
