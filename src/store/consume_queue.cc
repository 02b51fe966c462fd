#include "store/consume_queue.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/byte_order.h"
#include "store/reservation_step.h"

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

// Bytes read at a time while looking for the last entry of a segment: whole entries, about 16 KiB.
constexpr int64_t kTailScanBytes = 819 * kConsumeQueueUnitSize;

// The number of entries of `file` up to and including its last one that is not empty. Reads
// backwards from the end of the physical file, which a growing segment keeps at most one
// reservation step past its last entry, and never through the mapping.
Result<int64_t> EntriesUpToLast(const MappedFile& file) {
  int64_t hi = std::min(file.filled(), file.size()) / kConsumeQueueUnitSize * kConsumeQueueUnitSize;
  std::string buf;
  while (hi > 0) {
    const int64_t lo = std::max<int64_t>(0, hi - kTailScanBytes);
    buf.resize(static_cast<size_t>(hi - lo));
    HOLDFAST_RETURN_IF_ERROR(file.Read(lo, buf.size(), buf.data()));
    for (int64_t at = hi - lo; at > 0; at -= kConsumeQueueUnitSize) {
      if (!IsZero(DecodeEntry(buf.data() + at - kConsumeQueueUnitSize))) {
        return (lo + at) / kConsumeQueueUnitSize;
      }
    }
    hi = lo;
  }
  return 0;
}

}  // namespace

ConsumeQueue::ConsumeQueue(FileSystem* fs, const std::string& root_dir, std::string topic,
                           int32_t queue_id, int64_t file_size)
    : topic_(std::move(topic)),
      queue_id_(queue_id),
      files_(fs, fmt::format("{}/consumequeue/{}/{}", root_dir, topic_, queue_id), file_size,
             MappedFile::Access::kMappedGrowing) {}

Status ConsumeQueue::Load() {
  HOLDFAST_RETURN_IF_ERROR(files_.Load());
  for (;;) {
    auto last = files_.LastFile();
    if (!last) return Status::Ok();
    // Entries are written in order, so the queue ends after the last entry of its last file: only
    // that file's tail is read, whatever the size of the queue. An empty entry below it (a page a
    // power cut lost) is written again by recovery, which dispatches every record the checkpoint
    // does not count as flushed, or cut off by TruncateDirty with what follows it.
    auto count = EntriesUpToLast(*last);
    if (!count.ok()) return count.status();
    if (*count == 0 && files_.Files().size() > 1) {
      // Nothing of the last file is in the queue, so the end lies in the file before (whose tail
      // may be empty too): drop this one and look there.
      HOLDFAST_RETURN_IF_ERROR(files_.TruncateDirtyFiles(last->start_offset()));
      continue;
    }
    const int64_t max_offset = last->start_offset() / kConsumeQueueUnitSize + *count;
    max_offset_.store(max_offset, std::memory_order_release);
    flushed_to_ = max_offset * kConsumeQueueUnitSize;
    // A segment reserved whole (by an older Holdfast, or made sparse at full size by RocketMQ)
    // gives back the blocks past its last entry, so it costs what it holds from now on.
    const int64_t data_end = *count * kConsumeQueueUnitSize;
    if (last->filled() - data_end > 2 * kReservationStepMax) {
      HOLDFAST_RETURN_IF_ERROR(last->Truncate(data_end));
    }
    // A queue whose first entry is empty was created again at the old offsets of a topic deleted
    // while its messages were dispatched: it ends at its start, and what follows is dropped.
    const int64_t min_offset = MinOffset();
    if (max_offset > min_offset) {
      char buf[kConsumeQueueUnitSize];
      HOLDFAST_RETURN_IF_ERROR(files_.Read(min_offset * kConsumeQueueUnitSize, sizeof buf, buf));
      if (IsZero(DecodeEntry(buf))) {
        spdlog::warn("consume queue {}-{}: entry {} is empty; dropping entries {}..{}", topic_,
                     queue_id_, min_offset, min_offset, max_offset);
        return CutAt(min_offset);
      }
    }
    return Status::Ok();
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
  // Entries are ordered by commit-log offset. After recovery has dispatched again every record
  // from the checkpoint on, the entries of records below max_phy_offset are all there, and what
  // follows them is dirty: entries of records past it, or empty ones (lost pages). Find the first
  // dirty one; usually the last entry is clean, and one read says so.
  auto dirty = [&](int64_t offset) -> Result<bool> {
    char buf[kConsumeQueueUnitSize];
    HOLDFAST_RETURN_IF_ERROR(files_.Read(offset * kConsumeQueueUnitSize, sizeof buf, buf));
    const Entry e = DecodeEntry(buf);
    return EndsPast(e, max_phy_offset);
  };
  if (lo < hi) {
    auto last_dirty = dirty(hi - 1);
    if (!last_dirty.ok()) return last_dirty.status();
    if (!*last_dirty) return Status::Ok();
  }
  int64_t cut = hi;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    auto mid_dirty = dirty(mid);
    if (!mid_dirty.ok()) return mid_dirty.status();
    if (*mid_dirty) {
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
