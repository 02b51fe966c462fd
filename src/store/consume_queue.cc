#include "store/consume_queue.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/byte_order.h"

namespace holdfast::store {

namespace {

ConsumeQueue::Entry DecodeEntry(const char* p) {
  return {GetInt64(p), GetInt32(p + 8), GetInt64(p + 12)};
}

bool IsZero(const ConsumeQueue::Entry& e) {
  return e.commit_log_offset == 0 && e.size == 0 && e.tags_code == 0;
}

// False for an entry no message can have written (a damaged file): a negative offset, or a size
// below 1.
bool IsPossible(const ConsumeQueue::Entry& e) { return e.commit_log_offset >= 0 && e.size > 0; }

// True when e's message ends past max_phy_offset (>= 0), or e is damaged; either way recovery
// must not keep it. Written so that no sum can overflow, whatever the file holds.
bool EndsPast(const ConsumeQueue::Entry& e, int64_t max_phy_offset) {
  return !IsPossible(e) || e.commit_log_offset > max_phy_offset - e.size;
}

}  // namespace

ConsumeQueue::ConsumeQueue(FileSystem* fs, const std::string& root_dir, std::string topic,
                           int32_t queue_id, int64_t file_size)
    : topic_(std::move(topic)),
      queue_id_(queue_id),
      files_(fs, fmt::format("{}/consumequeue/{}/{}", root_dir, topic_, queue_id), file_size,
             /*mapped=*/true) {}

Status ConsumeQueue::Load() {
  HOLDFAST_RETURN_IF_ERROR(files_.Load());
  for (;;) {
    auto last = files_.LastFile();
    if (!last) return Status::Ok();
    // Entries are written in order, so the last file holds the end: scan it for the first hole.
    std::string buf(static_cast<size_t>(last->filled()), '\0');
    HOLDFAST_RETURN_IF_ERROR(last->Read(0, buf.size(), buf.data()));
    int64_t count = 0;
    while ((count + 1) * kConsumeQueueUnitSize <= static_cast<int64_t>(buf.size()) &&
           !IsZero(DecodeEntry(buf.data() + count * kConsumeQueueUnitSize))) {
      ++count;
    }
    if (count == 0 && files_.Files().size() > 1) {
      // Nothing of the last file is in the queue, so the end lies in the file before (whose tail
      // may be holes too): drop this one and look there.
      HOLDFAST_RETURN_IF_ERROR(files_.TruncateDirtyFiles(last->start_offset()));
      continue;
    }
    int64_t max_offset = (last->start_offset() / kConsumeQueueUnitSize) + count;
    max_offset_.store(max_offset, std::memory_order_release);
    flushed_to_ = max_offset * kConsumeQueueUnitSize;
    // Entries after the first hole are leftovers of an unfinished run: drop them now.
    bool leftovers = std::any_of(buf.begin() + count * kConsumeQueueUnitSize, buf.end(),
                                 [](char c) { return c != 0; });
    return leftovers ? CutAt(max_offset) : Status::Ok();
  }
}

Status ConsumeQueue::CutAt(int64_t offset) {
  HOLDFAST_RETURN_IF_ERROR(files_.TruncateDirtyFiles(offset * kConsumeQueueUnitSize));
  max_offset_.store(offset, std::memory_order_release);
  flushed_to_ = std::min(flushed_to_, offset * kConsumeQueueUnitSize);
  return Status::Ok();
}

Status ConsumeQueue::PutEntry(int64_t offset, const Entry& entry) {
  int64_t byte_offset = offset * kConsumeQueueUnitSize;
  auto file = files_.FindFile(byte_offset);
  while (!file) {
    auto last = files_.LastFile();
    int64_t next = last ? last->end_offset() : byte_offset - byte_offset % files_.file_size();
    auto added = files_.AddFile(next);
    if (!added.ok()) return added.status();
    file = files_.FindFile(byte_offset);
  }
  int64_t max = MaxOffset();
  if (offset > max) {
    // Only a topic deleted while its messages were being dispatched does this (its queue is
    // created again at their old offsets). The entries in the gap read as empty, which
    // GetEntries reports as an error rather than as the end of the queue, so no reader moves past
    // them; Load() ends the queue at the gap, which drops only that deleted topic's entries.
    spdlog::warn("consume queue {}-{}: entry {} leaves a gap after {}", topic_, queue_id_, offset,
                 max);
  }
  char buf[kConsumeQueueUnitSize];
  PutBigEndian64(buf, static_cast<uint64_t>(entry.commit_log_offset));
  PutBigEndian32(buf + 8, static_cast<uint32_t>(entry.size));
  PutBigEndian64(buf + 12, static_cast<uint64_t>(entry.tags_code));
  HOLDFAST_RETURN_IF_ERROR(
      file->Write(byte_offset - file->start_offset(), std::string_view(buf, sizeof buf)));
  if (offset >= max) max_offset_.store(offset + 1, std::memory_order_release);
  return Status::Ok();
}

Status ConsumeQueue::TruncateDirty(int64_t max_phy_offset) {
  int64_t lo = MinOffset();
  int64_t hi = MaxOffset();
  // Entries are ordered by commit-log offset: find the first that ends past max_phy_offset.
  int64_t cut = hi;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    char buf[kConsumeQueueUnitSize];
    HOLDFAST_RETURN_IF_ERROR(files_.Read(mid * kConsumeQueueUnitSize, sizeof buf, buf));
    Entry e = DecodeEntry(buf);
    if (EndsPast(e, max_phy_offset)) {
      cut = mid;
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  if (cut == MaxOffset()) return Status::Ok();
  spdlog::info("consume queue {}-{}: dropping entries {}..{} past commit-log offset {}", topic_,
               queue_id_, cut, MaxOffset(), max_phy_offset);
  return CutAt(cut);
}

Result<std::vector<ConsumeQueue::Entry>> ConsumeQueue::GetEntries(int64_t offset, int max) const {
  std::vector<Entry> entries;
  int64_t end = std::min(MaxOffset(), offset + max);
  if (offset < MinOffset() || offset >= end) return entries;
  int64_t byte_offset = offset * kConsumeQueueUnitSize;
  auto file = files_.FindFile(byte_offset);
  if (!file) {
    return Status::Corruption(
        fmt::format("consume queue {}: no segment holds entry {} (queue {}..{})", files_.dir(),
                    offset, MinOffset(), MaxOffset()));
  }
  end = std::min(end, file->end_offset() / kConsumeQueueUnitSize);
  std::string buf(static_cast<size_t>((end - offset) * kConsumeQueueUnitSize), '\0');
  HOLDFAST_RETURN_IF_ERROR(file->Read(byte_offset - file->start_offset(), buf.size(), buf.data()));
  entries.reserve(static_cast<size_t>(end - offset));
  for (size_t i = 0; i < buf.size(); i += kConsumeQueueUnitSize) {
    Entry e = DecodeEntry(buf.data() + i);
    if (!IsPossible(e)) {
      if (!entries.empty()) break;  // serve the good ones; the caller comes back for this one
      return Status::Corruption(fmt::format(
          "consume queue {}-{}: entry {} in {} is damaged (commit-log offset {}, size {})", topic_,
          queue_id_, offset, file->path(), e.commit_log_offset, e.size));
    }
    entries.push_back(e);
  }
  return entries;
}

Status ConsumeQueue::Flush() {
  if (!flush_error_.ok()) return flush_error_;
  int64_t to = MaxOffset() * kConsumeQueueUnitSize;
  if (to <= flushed_to_) return Status::Ok();
  if (Status s = files_.Sync(flushed_to_, to); !s.ok()) {
    flush_error_ = Status::IoError(fmt::format(
        "consume queue {}-{}: sync of entries {}..{} failed, and its later syncs prove nothing: {}",
        topic_, queue_id_, flushed_to_ / kConsumeQueueUnitSize, to / kConsumeQueueUnitSize,
        s.ToString()));
    return flush_error_;
  }
  flushed_to_ = to;
  return Status::Ok();
}

int64_t ConsumeQueue::MinOffset() const {
  auto first = files_.FirstFile();
  return first ? first->start_offset() / kConsumeQueueUnitSize : 0;
}

}  // namespace holdfast::store
