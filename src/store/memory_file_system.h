// A FileSystem held in memory (in the spirit of LevelDB's memenv), so the fuzz targets can feed the
// store's own files to the code that reads them at recovery (consume queues, index files, the
// checkpoint) without a disk, thousands of times a second.
//
// What it promises, as far as the store relies on POSIX: files read back what was written, bytes
// past what was written read as zeros, a file grows on Write, Truncate and Allocate and shrinks on
// Truncate (bytes cut away read as zeros if the file grows again), Rename replaces its target, a
// directory must exist before a file is created in it and must be empty to be removed. Sync,
// SyncDir and the cache hints do nothing and succeed: nothing here survives the process, so there
// is nothing to make durable. Renaming directories is not supported (InvalidArgument).
//
// Each file can hold at most `max_file_size` bytes (NoSpace beyond it): its bytes live in one
// reservation of that size made when the file is created, so a MappedRegion is a pointer into it
// that stays valid while the file grows or shrinks, and after the file is removed or renamed over
// (the region keeps the bytes alive). Stores through a region are seen by Read at once, and
// Writes are seen through the region, as with a shared mapping.
//
// Thread safety: any method from any thread. Concurrent Writes to one file are serialised.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/file_system.h"

namespace holdfast::store {

class MemoryFileSystem final : public FileSystem {
 public:
  static constexpr size_t kDefaultMaxFileSize = size_t{64} << 20;

  explicit MemoryFileSystem(size_t max_file_size = kDefaultMaxFileSize);
  ~MemoryFileSystem() override;
  MemoryFileSystem(const MemoryFileSystem&) = delete;
  MemoryFileSystem& operator=(const MemoryFileSystem&) = delete;

  Result<std::unique_ptr<File>> Open(const std::string& path, bool create) override;
  Status CreateDirs(const std::string& path) override;
  Status SyncDir(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& path) override;
  bool Exists(const std::string& path) override;
  Status Remove(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;

  // The bytes of one file. Defined in the .cc; shared by the File objects and MappedRegions of it.
  struct Node;

 private:
  bool DirExistsLocked(const std::string& dir) const;

  // Constant after construction.
  const size_t max_file_size_;

  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Node>> files_;  // guarded by mu_; by cleaned path
  std::set<std::string> dirs_;                          // guarded by mu_; cleaned paths
};

}  // namespace holdfast::store
