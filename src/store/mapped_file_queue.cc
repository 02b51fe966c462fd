#include "store/mapped_file_queue.h"

#include <fmt/format.h>

#include <algorithm>

namespace holdfast::store {

MappedFileQueue::MappedFileQueue(FileSystem* fs, std::string dir, int64_t file_size,
                                 MappedFile::Access access)
    : fs_(fs), dir_(std::move(dir)), file_size_(file_size), access_(access) {}

Status MappedFileQueue::Load() {
  auto names = fs_->ListDir(dir_);
  if (!names.ok() && names.status().IsNotFound()) {
    // Made only when missing: a restart lists thousands of queue directories that exist, and
    // making each again costs a mkdir per part of its path.
    HOLDFAST_RETURN_IF_ERROR(fs_->CreateDirs(dir_));
    names = fs_->ListDir(dir_);
  }
  if (!names.ok()) return names.status();
  std::vector<int64_t> offsets;
  for (const std::string& name : *names) {
    if (name.size() != 20 || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    int64_t offset = std::stoll(name);
    if (offset % file_size_ != 0) {
      return Status::Corruption(fmt::format(
          "{}/{}: offset is not a multiple of the segment size {}", dir_, name, file_size_));
    }
    offsets.push_back(offset);
  }
  std::sort(offsets.begin(), offsets.end());
  std::vector<std::shared_ptr<MappedFile>> files;
  for (size_t i = 0; i < offsets.size(); ++i) {
    if (i > 0 && offsets[i] != offsets[i - 1] + file_size_) {
      return Status::Corruption(
          fmt::format("{}: segment {} does not follow {}; a segment is missing", dir_,
                      MappedFile::FileName(offsets[i]), MappedFile::FileName(offsets[i - 1])));
    }
    auto file = MappedFile::Open(fs_, dir_, offsets[i], file_size_, false, access_);
    if (!file.ok()) return file.status();
    files.push_back(std::move(file).value());
  }
  std::lock_guard lock(mu_);
  files_ = std::move(files);
  return Status::Ok();
}

std::shared_ptr<MappedFile> MappedFileQueue::FindFile(int64_t offset) const {
  std::lock_guard lock(mu_);
  if (files_.empty() || offset < files_.front()->start_offset()) return nullptr;
  size_t index = static_cast<size_t>((offset - files_.front()->start_offset()) / file_size_);
  return index < files_.size() ? files_[index] : nullptr;
}

std::shared_ptr<MappedFile> MappedFileQueue::FirstFile() const {
  std::lock_guard lock(mu_);
  return files_.empty() ? nullptr : files_.front();
}

std::shared_ptr<MappedFile> MappedFileQueue::LastFile() const {
  std::lock_guard lock(mu_);
  return files_.empty() ? nullptr : files_.back();
}

std::vector<std::shared_ptr<MappedFile>> MappedFileQueue::Files() const {
  std::lock_guard lock(mu_);
  return files_;
}

std::vector<std::shared_ptr<MappedFile>> MappedFileQueue::FilesIn(int64_t from, int64_t to) const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<MappedFile>> in;
  for (const auto& file : files_) {
    if (file->end_offset() > from && file->start_offset() < to) in.push_back(file);
  }
  return in;
}

bool MappedFileQueue::empty() const {
  std::lock_guard lock(mu_);
  return files_.empty();
}

Result<std::shared_ptr<MappedFile>> MappedFileQueue::AddFile(int64_t start_offset,
                                                             std::unique_ptr<MappedFile> prepared) {
  {
    std::lock_guard lock(mu_);
    int64_t expected = files_.empty() ? start_offset : files_.back()->end_offset();
    if (start_offset != expected || start_offset % file_size_ != 0) {
      return Status::InvalidArgument(
          fmt::format("{}: cannot add a segment at {}, expected {}", dir_, start_offset, expected));
    }
  }
  std::shared_ptr<MappedFile> file;
  if (prepared && prepared->start_offset() == start_offset && prepared->size() == file_size_) {
    file = std::move(prepared);
  } else {
    auto opened = MappedFile::Open(fs_, dir_, start_offset, file_size_, true, access_);
    if (!opened.ok()) return opened.status();
    file = std::move(opened).value();
    HOLDFAST_RETURN_IF_ERROR(fs_->SyncDir(dir_));
  }
  std::lock_guard lock(mu_);
  files_.push_back(file);
  return file;
}

Status MappedFileQueue::Read(int64_t offset, size_t n, char* buf) const {
  auto file = FindFile(offset);
  if (!file) return Status::NotFound(fmt::format("{}: no segment holds offset {}", dir_, offset));
  return file->Read(offset - file->start_offset(), n, buf);
}

Status MappedFileQueue::Sync(int64_t from, int64_t to) const {
  for (const auto& file : FilesIn(from, to)) HOLDFAST_RETURN_IF_ERROR(file->Sync());
  return Status::Ok();
}

Status MappedFileQueue::RemoveFilesAfter(int64_t offset) {
  std::vector<std::shared_ptr<MappedFile>> doomed;
  {
    std::lock_guard lock(mu_);
    while (files_.size() > 1 && files_.back()->start_offset() > offset) {
      doomed.push_back(files_.back());
      files_.pop_back();
    }
  }
  for (const auto& file : doomed) HOLDFAST_RETURN_IF_ERROR(fs_->Remove(file->path()));
  if (!doomed.empty()) HOLDFAST_RETURN_IF_ERROR(fs_->SyncDir(dir_));
  return Status::Ok();
}

Result<bool> MappedFileQueue::RemoveFirstFile() {
  std::shared_ptr<MappedFile> doomed;
  {
    std::lock_guard lock(mu_);
    if (files_.size() < 2) return false;
    doomed = files_.front();
    files_.erase(files_.begin());
  }
  HOLDFAST_RETURN_IF_ERROR(fs_->Remove(doomed->path()));
  HOLDFAST_RETURN_IF_ERROR(fs_->SyncDir(dir_));
  return true;
}

Status MappedFileQueue::TruncateDirtyFiles(int64_t offset) {
  std::vector<std::shared_ptr<MappedFile>> doomed;
  {
    std::lock_guard lock(mu_);
    while (!files_.empty() && files_.back()->start_offset() >= offset &&
           !(files_.size() == 1 && files_.back()->start_offset() == offset)) {
      doomed.push_back(files_.back());
      files_.pop_back();
    }
  }
  for (const auto& file : doomed) HOLDFAST_RETURN_IF_ERROR(fs_->Remove(file->path()));
  if (!doomed.empty()) HOLDFAST_RETURN_IF_ERROR(fs_->SyncDir(dir_));
  auto last = LastFile();
  if (last && offset < last->end_offset()) {
    int64_t pos = std::max<int64_t>(0, offset - last->start_offset());
    if (last->filled() > pos) HOLDFAST_RETURN_IF_ERROR(last->Truncate(pos));
  }
  return Status::Ok();
}

}  // namespace holdfast::store
