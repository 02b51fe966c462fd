// Helpers for store tests: small-segment configs and messages whose bytes can be checked later.
#pragma once

#include <cstdint>
#include <string>

#include "common/message.h"
#include "store/message_store_config.h"

namespace holdfast::testing {

// A config for dir with small segments, so tests roll files quickly.
store::MessageStoreConfig SmallStoreConfig(
    const std::string& dir, store::FlushDiskType flush = store::FlushDiskType::kSyncFlush);

// A message for topic/queue whose body is derived from `seq` (and `body_size`), with KEYS
// "key-<seq>", a UNIQ_KEY and tag "TagA" or "TagB" by parity.
MessageExt MakeMessage(const std::string& topic, int32_t queue_id, int64_t seq,
                       size_t body_size = 100);
// The body MakeMessage uses for seq.
std::string BodyFor(int64_t seq, size_t body_size);

// Bytes of [from, size) of the file at path that are in the page cache (mincore through a
// read-only mapping of our own; `from` a multiple of the page size); -1 when the file cannot be
// mapped.
int64_t ResidentBytes(const std::string& path, int64_t size, int64_t from = 0);
// False when dir is on a file system whose cached pages cannot be dropped (tmpfs, ramfs).
bool PageCacheCanDrop(const std::string& dir);

}  // namespace holdfast::testing
