// A FileSystem for tests that passes everything to the POSIX one and writes down, in order, every
// Read, Write, WriteBack and Sync of the files opened through it: for tests of how bytes reach the
// disk (in what pieces, in what order) and of how much is read, which the bytes alone cannot show.
//
// Threading: any thread; calls() returns a copy.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/file_system.h"

namespace holdfast::testing {

struct FileCall {
  enum Kind { kRead, kWrite, kWriteBack, kSync };
  Kind kind;
  std::string path;
  int64_t offset = 0;  // all but kSync
  int64_t length = 0;  // all but kSync; for kRead the bytes asked for
};

class RecordingFileSystem final : public store::FileSystem {
 public:
  Result<std::unique_ptr<store::File>> Open(const std::string& path, bool create) override;
  Status CreateDirs(const std::string& path) override;
  Status SyncDir(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& path) override;
  bool Exists(const std::string& path) override;
  Status Remove(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;

  std::vector<FileCall> calls() const;

 private:
  class RecordingFile;
  void Record(FileCall call);

  mutable std::mutex mu_;
  std::vector<FileCall> calls_;  // guarded by mu_
};

}  // namespace holdfast::testing
