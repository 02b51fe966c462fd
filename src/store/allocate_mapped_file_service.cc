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
  done_cv_.wait(lock, [&] { return in_progress_ != start_offset && requested_ != start_offset; });
  if (ready_ && ready_->start_offset() == start_offset) return std::move(ready_);
  return nullptr;
}

void AllocateMappedFileService::OnShutdown() {
  {
    std::lock_guard lock(mu_);
    requested_.reset();  // nobody will create it now: Take() returns and the writer creates it
  }
  done_cv_.notify_all();
}

void AllocateMappedFileService::PrepareAhead(std::shared_ptr<MappedFile> file, int64_t end) {
  {
    std::lock_guard lock(mu_);
    prepare_file_ = std::move(file);
    prepare_end_ = end;
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
  std::vector<std::shared_ptr<MappedFile>> release;
  int64_t release_end = 0;
  int64_t offset = -1;
  {
    std::lock_guard lock(mu_);
    release.swap(release_files_);
    release_end = release_end_;
    if (requested_) {
      offset = *requested_;
      requested_.reset();
      in_progress_ = offset;
      ready_.reset();
    }
  }
  for (const auto& file : release) file->ReleaseCacheTo(release_end - file->start_offset());
  // A new segment first: the writer may be waiting for it in Take().
  if (offset >= 0) {
    CreateSegment(offset);
    return;
  }
  if (!PrepareStep()) WaitForRunning(std::chrono::milliseconds(1000));
}

void AllocateMappedFileService::CreateSegment(int64_t offset) {
  // Positional writers get a segment whose first step is zero-filled and synced (fdatasync then
  // flushes data only); mapped writers get one with its blocks reserved, which is all a store
  // through a mapping needs, and costs no write of the whole segment.
  std::unique_ptr<MappedFile> file;
  auto opened =
      MappedFile::Open(fs_, dir_, offset, file_size_, true,
                       mapped_ ? MappedFile::Access::kMapped : MappedFile::Access::kPositional);
  Status s = opened.status();
  if (s.ok()) {
    file = std::move(opened).value();
    if (mapped_) {
      file->PopulateTo(kPopulateWindow);
    } else {
      s = file->EnsureFilled(kFillStep, kFillStep);
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

bool AllocateMappedFileService::PrepareStep() {
  std::shared_ptr<MappedFile> file;
  int64_t end = 0;
  {
    std::lock_guard lock(mu_);
    file = prepare_file_;
    end = prepare_end_;
  }
  if (!file) return false;
  bool done = true;
  if (mapped_) {
    file->PopulateTo(end);
  } else {
    Status s = file->EnsureFilled(std::min(end, file->filled() + kFillStep), kFillStep);
    if (!s.ok()) {
      // Not sticky here: the writer fills what it needs itself, and its append fails on the same
      // error if the disk still refuses.
      spdlog::warn("could not zero-fill commit-log segment {} ahead of the writer: {}",
                   file->path(), s.ToString());
    }
    done = !s.ok() || file->filled() >= end;
  }
  if (done) {
    std::lock_guard lock(mu_);
    if (prepare_file_ == file && prepare_end_ == end) prepare_file_.reset();
  }
  return true;
}

}  // namespace holdfast::store
