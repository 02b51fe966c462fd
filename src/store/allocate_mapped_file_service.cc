#include "store/allocate_mapped_file_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace holdfast::store {

AllocateMappedFileService::AllocateMappedFileService(FileSystem* fs, std::string dir,
                                                     int64_t file_size, bool mapped)
    : ServiceThread("AllocMappedFile"),
      fs_(fs),
      dir_(std::move(dir)),
      file_size_(file_size),
      mapped_(mapped) {}

AllocateMappedFileService::~AllocateMappedFileService() { Shutdown(); }

void AllocateMappedFileService::Request(int64_t start_offset) {
  {
    std::lock_guard lock(mu_);
    if ((ready_ && ready_->start_offset() == start_offset) || in_progress_ == start_offset) return;
    requested_ = start_offset;
  }
  Wakeup();
}

std::unique_ptr<MappedFile> AllocateMappedFileService::Take(int64_t start_offset) {
  std::unique_lock lock(mu_);
  done_cv_.wait(lock, [&] { return in_progress_ != start_offset; });
  if (ready_ && ready_->start_offset() == start_offset) return std::move(ready_);
  if (requested_ == start_offset) requested_.reset();
  return nullptr;
}

void AllocateMappedFileService::PopulateAhead(std::shared_ptr<MappedFile> file, int64_t end) {
  {
    std::lock_guard lock(mu_);
    populate_file_ = std::move(file);
    populate_end_ = end;
  }
  Wakeup();
}

void AllocateMappedFileService::ReleaseCache(std::vector<std::shared_ptr<MappedFile>> files,
                                             int64_t end) {
  {
    std::lock_guard lock(mu_);
    for (auto& file : files) {
      if (release_files_.empty() || release_files_.back() != file) {
        release_files_.push_back(std::move(file));
      }
    }
    release_end_ = std::max(release_end_, end);
  }
  Wakeup();
}

void AllocateMappedFileService::Run() {
  std::shared_ptr<MappedFile> populate;
  int64_t populate_end = 0;
  std::vector<std::shared_ptr<MappedFile>> release;
  int64_t release_end = 0;
  {
    std::lock_guard lock(mu_);
    populate.swap(populate_file_);
    populate_end = populate_end_;
    release.swap(release_files_);
    release_end = release_end_;
  }
  for (const auto& file : release) file->ReleaseCacheTo(release_end - file->start_offset());
  if (populate) {  // the writer is close: before preparing the next segment
    populate->PopulateTo(populate_end);
    return;
  }
  int64_t offset;
  {
    std::lock_guard lock(mu_);
    if (!requested_) {
      offset = -1;
    } else {
      offset = *requested_;
      requested_.reset();
      in_progress_ = offset;
      ready_.reset();
    }
  }
  if (offset < 0) {
    WaitForRunning(std::chrono::milliseconds(1000));
    return;
  }
  // Positional writers get a zero-filled, synced segment (fdatasync then flushes data only);
  // mapped writers get one with its blocks reserved, which is all a store through a mapping
  // needs, and costs no write of the whole segment.
  std::unique_ptr<MappedFile> file;
  auto opened = MappedFile::Open(fs_, dir_, offset, file_size_, true, mapped_);
  Status s = opened.status();
  if (s.ok()) {
    file = std::move(opened).value();
    if (mapped_) {
      file->PopulateTo(kPopulateWindow);
    } else {
      // In small synced steps: on ext4 (data=ordered) an appender's fdatasync commits the
      // journal, which first writes out every dirty block of newly allocated extents, ours
      // included; 4 MiB at a time keeps that wait to a millisecond or two. Steps also keep
      // Shutdown() from waiting for a whole segment; a segment left part filled is filled on by
      // the writer (MappedFile::EnsureFilled).
      constexpr int64_t kStep = 4 << 20;
      while (s.ok() && file->filled() < file_size_ && !Stopped()) {
        s = file->EnsureFilled(file->filled() + 1, kStep);
      }
      if (s.ok() && file->filled() < file_size_) s = Status::Unavailable("stopped while filling");
    }
    if (s.ok()) s = fs_->SyncDir(dir_);
  }
  if (!s.ok()) {
    // Safe to go on: nothing is acknowledged on the strength of a prepared segment. Without one
    // the writer opens (or fills on) the segment itself under its own error handling, and a
    // failure there fails that append.
    spdlog::warn("could not prepare commit-log segment {} in {}: {}", MappedFile::FileName(offset),
                 dir_, s.ToString());
    file.reset();
  }
  {
    std::lock_guard lock(mu_);
    in_progress_.reset();
    ready_ = std::move(file);
  }
  done_cv_.notify_all();
}

}  // namespace holdfast::store
