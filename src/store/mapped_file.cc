#include "store/mapped_file.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace holdfast::store {

namespace {

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
                                                     bool create, bool mapped) {
  auto file = fs->Open(dir + "/" + FileName(start_offset), create);
  if (!file.ok()) return file.status();
  auto physical = (*file)->Size();
  if (!physical.ok()) return physical.status();
  if (*physical > size) {
    return Status::Corruption(fmt::format("{} is {} bytes, larger than the segment size {}",
                                          (*file)->path(), *physical, size));
  }
  std::unique_ptr<MappedRegion> region;
  if (mapped) {
    if (*physical < size) HOLDFAST_RETURN_IF_ERROR((*file)->Allocate(size));
    auto mapping = (*file)->Map(static_cast<size_t>(size));
    if (!mapping.ok()) return mapping.status();
    region = std::move(mapping).value();
  }
  int64_t filled = mapped ? size : *physical;
  return std::unique_ptr<MappedFile>(
      new MappedFile(std::move(file).value(), std::move(region), start_offset, size, filled));
}

Status MappedFile::Write(int64_t pos, std::string_view data) {
  if (pos < 0 || pos + static_cast<int64_t>(data.size()) > size_) {
    return Status::InvalidArgument(
        fmt::format("write of {} bytes at {} leaves segment {}", data.size(), pos, path()));
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
  if (region_) {
    std::memcpy(buf, region_->data() + pos, n);
    return Status::Ok();
  }
  auto got = file_->Read(pos, n, buf);
  if (!got.ok()) return got.status();
  if (*got < n) std::memset(buf + *got, 0, n - *got);
  return Status::Ok();
}

Status MappedFile::Sync() { return file_->Sync(); }

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
  if (!region_) return;
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

int64_t MappedFile::ReleaseCacheTo(int64_t end) {
  // Whole pages only: a page cut by `end` stays until a later call covers all of it.
  static const int64_t page = ::sysconf(_SC_PAGESIZE);
  end = std::min(end, size_) / page * page;
  int64_t from = cache_released_.load(std::memory_order_relaxed);
  // The exchange makes each range one caller's, so two callers never release it twice.
  do {
    if (end <= from) return 0;
  } while (!cache_released_.compare_exchange_weak(from, end, std::memory_order_acq_rel));
  if (region_) region_->Release(static_cast<size_t>(from), static_cast<size_t>(end - from));
  file_->DropCache(from, end - from);
  return end - from;
}

Status MappedFile::Truncate(int64_t pos) {
  if (region_) {
    // Cut the file (dropping every byte from pos on, wherever it is), then reserve the blocks
    // again so the mapping stays backed. Only recovery does this, while nothing else touches
    // the mapping.
    HOLDFAST_RETURN_IF_ERROR(file_->Truncate(pos));
    HOLDFAST_RETURN_IF_ERROR(file_->Allocate(size_));
    return file_->Sync();
  }
  HOLDFAST_RETURN_IF_ERROR(file_->Truncate(pos));
  HOLDFAST_RETURN_IF_ERROR(file_->Sync());
  filled_.store(pos, std::memory_order_release);
  return Status::Ok();
}

}  // namespace holdfast::store
