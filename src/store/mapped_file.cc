#include "store/mapped_file.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "store/reservation_step.h"

namespace holdfast::store {

namespace {

const int64_t kPageSize = ::sysconf(_SC_PAGESIZE);

// Raises `v` to at least `to`.
void RaiseTo(std::atomic<int64_t>& v, int64_t to) {
  int64_t seen = v.load(std::memory_order_relaxed);
  while (seen < to && !v.compare_exchange_weak(seen, to, std::memory_order_acq_rel)) {
  }
}

}  // namespace

std::string MappedFile::FileName(int64_t start_offset) {
  return fmt::format("{:020d}", start_offset);
}

Result<std::unique_ptr<MappedFile>> MappedFile::Open(FileSystem* fs, const std::string& dir,
                                                     int64_t start_offset, int64_t size,
                                                     bool create, Access access) {
  auto file = fs->Open(dir + "/" + FileName(start_offset), create);
  if (!file.ok()) return file.status();
  auto physical = (*file)->Size();
  if (!physical.ok()) return physical.status();
  if (*physical > size) {
    return Status::Corruption(fmt::format("{} is {} bytes, larger than the segment size {}",
                                          (*file)->path(), *physical, size));
  }
  std::unique_ptr<MappedRegion> region;
  if (access == Access::kMapped && *physical < size) {
    HOLDFAST_RETURN_IF_ERROR((*file)->Allocate(size));
  }
  if (access != Access::kPositional) {
    // A growing segment is mapped past its file's end: Write reserves blocks (and so grows the
    // file) before it stores there, and Read does not use the mapping.
    auto mapping = (*file)->Map(static_cast<size_t>(size));
    if (!mapping.ok()) return mapping.status();
    region = std::move(mapping).value();
  }
  int64_t filled = access == Access::kMapped ? size : *physical;
  return std::unique_ptr<MappedFile>(new MappedFile(std::move(file).value(), std::move(region),
                                                    access, start_offset, size, filled));
}

Status MappedFile::ReserveTo(int64_t end) {
  const int64_t reserved = filled();
  if (end <= reserved) return Status::Ok();
  const int64_t to = NextReservationEnd(reserved, end, size_);
  HOLDFAST_RETURN_IF_ERROR(file_->Allocate(reserved, to - reserved));
  filled_.store(to, std::memory_order_release);
  return Status::Ok();
}

Status MappedFile::Write(int64_t pos, std::string_view data) {
  if (pos < 0 || pos + static_cast<int64_t>(data.size()) > size_) {
    return Status::InvalidArgument(
        fmt::format("write of {} bytes at {} leaves segment {}", data.size(), pos, path()));
  }
  if (access_ == Access::kMappedGrowing) {
    const int64_t end = pos + static_cast<int64_t>(data.size());
    HOLDFAST_RETURN_IF_ERROR(ReserveTo(end));
    std::memcpy(region_->data() + pos, data.data(), data.size());
    RaiseTo(written_, end);
    return Status::Ok();
  }
  if (region_) {
    std::memcpy(region_->data() + pos, data.data(), data.size());
    return Status::Ok();
  }
  HOLDFAST_RETURN_IF_ERROR(file_->Write(pos, data));
  RaiseTo(filled_, pos + static_cast<int64_t>(data.size()));
  return Status::Ok();
}

Status MappedFile::Read(int64_t pos, size_t n, char* buf) const {
  if (pos < 0 || pos + static_cast<int64_t>(n) > size_) {
    return Status::InvalidArgument(
        fmt::format("read of {} bytes at {} leaves segment {}", n, pos, path()));
  }
  if (access_ == Access::kMapped) {
    std::memcpy(buf, region_->data() + pos, n);
    return Status::Ok();
  }
  auto got = file_->Read(pos, n, buf);
  if (!got.ok()) return got.status();
  if (*got < n) std::memset(buf + *got, 0, n - *got);
  return Status::Ok();
}

Status MappedFile::Sync() {
  const int64_t written = written_.load(std::memory_order_acquire);
  HOLDFAST_RETURN_IF_ERROR(file_->Sync());
  // Nobody writes below `written` again (one appender; recovery rewrites before anything syncs),
  // and readers read positionally: the pages there need not stay in this process.
  if (access_ == Access::kMappedGrowing) UnmapTo(written);
  return Status::Ok();
}

Status MappedFile::EnsureFilled(int64_t pos_end, int64_t chunk) {
  if (pos_end <= filled()) return Status::Ok();
  std::lock_guard lock(fill_mu_);
  int64_t from = filled();
  if (pos_end <= from) return Status::Ok();
  int64_t to = std::min(size_, std::max(pos_end, from + chunk));
  static const std::string kZeros(kZeroFillPiece, '\0');
  int64_t written_back = from;
  for (int64_t at = from; at < to;) {
    size_t n = static_cast<size_t>(std::min<int64_t>(to - at, static_cast<int64_t>(kZeros.size())));
    HOLDFAST_RETURN_IF_ERROR(file_->Write(at, std::string_view(kZeros.data(), n)));
    at += static_cast<int64_t>(n);
    if (at - written_back >= kZeroFillWriteBack) {
      file_->WriteBack(written_back, at - written_back);
      written_back = at;
    }
  }
  HOLDFAST_RETURN_IF_ERROR(file_->Sync());
  RaiseTo(filled_, to);
  return Status::Ok();
}

void MappedFile::PopulateTo(int64_t end) {
  if (access_ != Access::kMapped) return;
  end = std::min(end, size_);
  const int64_t from = populated_.load(std::memory_order_acquire);
  if (end <= from) return;
  region_->Populate(static_cast<size_t>(from), static_cast<size_t>(end - from));
  RaiseTo(populated_, end);
}

int64_t MappedFile::ClaimPrepareAhead(int64_t pos, int64_t window) {
  const int64_t claimed = prepare_claimed_.load(std::memory_order_relaxed);
  if (claimed >= size_ || pos + window <= claimed) return 0;
  // Pages below the writer need no populating: after a restart in the middle of a segment, only
  // what lies ahead of it is faulted in, not everything from the segment's start.
  if (region_) RaiseTo(populated_, pos);
  const int64_t end = std::min(size_, pos + 2 * window);
  prepare_claimed_.store(end, std::memory_order_relaxed);
  return end;
}

MappedFile::Range MappedFile::UnmapTo(int64_t end) {
  // Whole pages only: a page cut by `end` stays until a later call covers all of it.
  end = std::min(end, size_) / kPageSize * kPageSize;
  int64_t from = cache_released_.load(std::memory_order_relaxed);
  // The exchange makes each range one caller's, so two callers never release it twice.
  do {
    if (end <= from) return {end, end};
  } while (!cache_released_.compare_exchange_weak(from, end, std::memory_order_acq_rel));
  if (region_) region_->Release(static_cast<size_t>(from), static_cast<size_t>(end - from));
  return {from, end};
}

int64_t MappedFile::ReleaseCacheTo(int64_t end) {
  const Range released = UnmapTo(end);
  if (released.to > released.from) file_->DropCache(released.from, released.to - released.from);
  return released.to - released.from;
}

Status MappedFile::Truncate(int64_t pos) {
  if (access_ == Access::kMapped) {
    // Cut the file (dropping every byte from pos on, wherever it is), then reserve the blocks
    // again so the mapping stays backed. Only recovery does this, while nothing else touches
    // the mapping.
    HOLDFAST_RETURN_IF_ERROR(file_->Truncate(pos));
    HOLDFAST_RETURN_IF_ERROR(file_->Allocate(size_));
    return file_->Sync();
  }
  // A growing segment's pages past pos leave the mapping with the file's end; the writer grows it
  // again before storing there.
  HOLDFAST_RETURN_IF_ERROR(file_->Truncate(pos));
  HOLDFAST_RETURN_IF_ERROR(file_->Sync());
  filled_.store(pos, std::memory_order_release);
  // Only recovery truncates, with nothing else touching the segment: the pages the writer stores
  // into again are unmapped again after the next Sync.
  written_.store(std::min(written_.load(), pos));
  cache_released_.store(std::min(cache_released_.load(), pos / kPageSize * kPageSize));
  return Status::Ok();
}

}  // namespace holdfast::store
