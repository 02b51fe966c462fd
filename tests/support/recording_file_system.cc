#include "tests/support/recording_file_system.h"

#include <utility>

namespace holdfast::testing {

namespace {

store::FileSystem* Base() { return store::FileSystem::Default(); }

}  // namespace

class RecordingFileSystem::RecordingFile final : public store::File {
 public:
  RecordingFile(RecordingFileSystem* fs, std::unique_ptr<store::File> base)
      : fs_(fs), base_(std::move(base)) {}

  Status Write(int64_t offset, std::string_view data) override {
    fs_->Record({FileCall::kWrite, path(), offset, static_cast<int64_t>(data.size())});
    return base_->Write(offset, data);
  }
  Result<size_t> Read(int64_t offset, size_t n, char* buf) const override {
    fs_->Record({FileCall::kRead, path(), offset, static_cast<int64_t>(n)});
    return base_->Read(offset, n, buf);
  }
  Status Sync() override {
    fs_->Record({FileCall::kSync, path()});
    return base_->Sync();
  }
  Status Truncate(int64_t size) override { return base_->Truncate(size); }
  Status Allocate(int64_t offset, int64_t length) override {
    return base_->Allocate(offset, length);
  }
  void DropCache(int64_t offset, int64_t length) override { base_->DropCache(offset, length); }
  void WriteBack(int64_t offset, int64_t length) override {
    fs_->Record({FileCall::kWriteBack, path(), offset, length});
    base_->WriteBack(offset, length);
  }
  Result<std::unique_ptr<store::MappedRegion>> Map(size_t size) override {
    return base_->Map(size);
  }
  Result<int64_t> Size() const override { return base_->Size(); }
  const std::string& path() const override { return base_->path(); }

 private:
  RecordingFileSystem* const fs_;
  const std::unique_ptr<store::File> base_;
};

Result<std::unique_ptr<store::File>> RecordingFileSystem::Open(const std::string& path,
                                                               bool create) {
  auto base = Base()->Open(path, create);
  if (!base.ok()) return base.status();
  return std::unique_ptr<store::File>(
      std::make_unique<RecordingFile>(this, std::move(base).value()));
}

Status RecordingFileSystem::CreateDirs(const std::string& path) { return Base()->CreateDirs(path); }
Status RecordingFileSystem::SyncDir(const std::string& path) { return Base()->SyncDir(path); }
Result<std::vector<std::string>> RecordingFileSystem::ListDir(const std::string& path) {
  return Base()->ListDir(path);
}
bool RecordingFileSystem::Exists(const std::string& path) { return Base()->Exists(path); }
Status RecordingFileSystem::Remove(const std::string& path) { return Base()->Remove(path); }
Status RecordingFileSystem::Rename(const std::string& from, const std::string& to) {
  return Base()->Rename(from, to);
}

std::vector<FileCall> RecordingFileSystem::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

void RecordingFileSystem::Record(FileCall call) {
  std::lock_guard lock(mu_);
  calls_.push_back(std::move(call));
}

}  // namespace holdfast::testing
