#include "store/timer/timer_log.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/byte_order.h"
#include "common/crc32.h"

namespace holdfast::store::timer {

namespace {

constexpr size_t kCrcPos = 36;

void Encode(const TimerLogEntry& e, char* buf) {
  PutBigEndian64(buf, static_cast<uint64_t>(e.prev));
  PutBigEndian64(buf + 8, static_cast<uint64_t>(e.commit_log_offset));
  PutBigEndian64(buf + 16, static_cast<uint64_t>(e.due_ms));
  PutBigEndian64(buf + 24, static_cast<uint64_t>(e.slot_sec));
  PutBigEndian32(buf + 32, static_cast<uint32_t>(e.size));
  PutBigEndian32(buf + kCrcPos, Crc32(std::string_view(buf, kCrcPos)));
}

bool Decode(const char* buf, TimerLogEntry* e) {
  if (GetBigEndian32(buf + kCrcPos) != Crc32(std::string_view(buf, kCrcPos))) return false;
  e->prev = GetInt64(buf);
  e->commit_log_offset = GetInt64(buf + 8);
  e->due_ms = GetInt64(buf + 16);
  e->slot_sec = GetInt64(buf + 24);
  e->size = GetInt32(buf + 32);
  return true;
}

}  // namespace

TimerLog::TimerLog(FileSystem* fs, std::string dir, int64_t entries_per_file)
    : fs_(fs),
      files_(fs, std::move(dir), entries_per_file * kEntrySize,
             MappedFile::Access::kMappedGrowing) {}

Status TimerLog::Load() {
  HOLDFAST_RETURN_IF_ERROR(fs_->CreateDirs(files_.dir()));
  HOLDFAST_RETURN_IF_ERROR(files_.Load());
  auto last = files_.LastFile();
  int64_t end = last ? last->end_offset() : 0;
  end_.store(end, std::memory_order_release);
  synced_ = end;
  return Status::Ok();
}

int64_t TimerLog::begin() const {
  auto first = files_.FirstFile();
  return first ? first->start_offset() : end();
}

Result<int64_t> TimerLog::Append(const TimerLogEntry& entry) {
  const int64_t pos = end();
  auto file = files_.FindFile(pos);
  if (!file) {
    auto added = files_.AddFile(pos);
    if (!added.ok()) return added.status();
    file = *added;
  }
  char buf[kEntrySize];
  Encode(entry, buf);
  HOLDFAST_RETURN_IF_ERROR(
      file->Write(pos - file->start_offset(), std::string_view(buf, sizeof buf)));
  end_.store(pos + kEntrySize, std::memory_order_release);
  return pos;
}

Result<TimerLogEntry> TimerLog::Read(int64_t pos) const {
  if (pos < 0 || pos % kEntrySize != 0 || pos + kEntrySize > end()) {
    return Status::InvalidArgument(
        fmt::format("timer log {}: no entry at {} (end {})", files_.dir(), pos, end()));
  }
  char buf[kEntrySize];
  HOLDFAST_RETURN_IF_ERROR(files_.Read(pos, sizeof buf, buf));
  TimerLogEntry e;
  if (!Decode(buf, &e)) {
    return Status::Corruption(
        fmt::format("timer log {}: entry at {} fails its CRC", files_.dir(), pos));
  }
  return e;
}

Status TimerLog::Scan(int64_t from, int64_t to,
                      const std::function<void(int64_t, const TimerLogEntry&)>& fn) const {
  constexpr int64_t kPiece = 25600 * kEntrySize;  // 1 MB
  std::string buf;
  for (int64_t pos = from; pos < to;) {
    const int64_t file_end = pos - pos % files_.file_size() + files_.file_size();
    const int64_t n = std::min({to - pos, kPiece, file_end - pos});
    buf.resize(static_cast<size_t>(n));
    HOLDFAST_RETURN_IF_ERROR(files_.Read(pos, buf.size(), buf.data()));
    for (int64_t i = 0; i < n; i += kEntrySize) {
      TimerLogEntry e;
      if (!Decode(buf.data() + i, &e)) {
        return Status::Corruption(
            fmt::format("timer log {}: entry at {} fails its CRC", files_.dir(), pos + i));
      }
      fn(pos + i, e);
    }
    pos += n;
  }
  return Status::Ok();
}

Status TimerLog::Sync() {
  const int64_t to = end();
  if (to <= synced_) return Status::Ok();
  HOLDFAST_RETURN_IF_ERROR(files_.Sync(synced_, to));
  synced_ = to;
  return Status::Ok();
}

Status TimerLog::TruncateTo(int64_t pos) {
  HOLDFAST_RETURN_IF_ERROR(files_.TruncateDirtyFiles(pos));
  end_.store(pos, std::memory_order_release);
  synced_ = std::min(synced_, pos);
  return Status::Ok();
}

Status TimerLog::RemoveFilesWhile(const std::function<bool(int64_t, int64_t)>& removable) {
  for (;;) {
    auto first = files_.FirstFile();
    if (!first || first->end_offset() > end()) return Status::Ok();  // the file being written
    if (!removable(first->start_offset(), first->end_offset())) return Status::Ok();
    auto removed = files_.RemoveFirstFile();
    if (!removed.ok()) return removed.status();
    if (!*removed) return Status::Ok();
  }
}

}  // namespace holdfast::store::timer
