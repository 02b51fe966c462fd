// An ordered run of equal-size segment files in one directory, covering one contiguous range of
// offsets (RocketMQ's MappedFileQueue). The commit log and every consume queue are one each.
//
// Thread safety: all methods may be called from any thread. Segments are handed out as
// shared_ptr, so a reader holding one is safe while the writer rolls to the next or recovery
// removes it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/file_system.h"
#include "store/mapped_file.h"

namespace holdfast::store {

class MappedFileQueue {
 public:
  // Every segment is opened with `access` (see MappedFile).
  MappedFileQueue(FileSystem* fs, std::string dir, int64_t file_size,
                  MappedFile::Access access = MappedFile::Access::kPositional);

  const std::string& dir() const { return dir_; }
  int64_t file_size() const { return file_size_; }

  // Opens every segment file in dir (creating dir if missing). Corruption, naming the file, when
  // a name is not a 20-digit multiple of the file size, a file is larger than the segment size,
  // or the segments are not contiguous. Ignores other entries (e.g. "*.tmp").
  Status Load();

  // The segment holding offset, or nullptr.
  std::shared_ptr<MappedFile> FindFile(int64_t offset) const;
  std::shared_ptr<MappedFile> FirstFile() const;
  std::shared_ptr<MappedFile> LastFile() const;
  std::vector<std::shared_ptr<MappedFile>> Files() const;
  // The segments overlapping [from, to), in order.
  std::vector<std::shared_ptr<MappedFile>> FilesIn(int64_t from, int64_t to) const;
  bool empty() const;

  // Adds the segment starting at start_offset, which must be the end of the last one (or any
  // multiple of the file size when empty). `prepared`, if given, is an already opened (e.g.
  // zero-filled) segment for exactly that offset.
  Result<std::shared_ptr<MappedFile>> AddFile(int64_t start_offset,
                                              std::unique_ptr<MappedFile> prepared = nullptr);

  // Reads n bytes at offset; the range must lie inside one existing segment.
  Status Read(int64_t offset, size_t n, char* buf) const;

  // fdatasync of every segment overlapping [from, to).
  Status Sync(int64_t from, int64_t to) const;

  // Deletes the segments that start after the one holding offset (a segment starting exactly at
  // offset is kept). Used by recovery; not concurrent with writes.
  Status RemoveFilesAfter(int64_t offset);

  // Deletes the first segment, unless it is the only one; true when one was deleted. For
  // append-only logs whose oldest entries are no longer needed (the timer log).
  Result<bool> RemoveFirstFile();

  // Everything at and after offset is dropped: the segment holding it is cut there, later
  // segments are deleted. Used by recovery; not concurrent with writes.
  Status TruncateDirtyFiles(int64_t offset);

 private:
  FileSystem* const fs_;
  const std::string dir_;
  const int64_t file_size_;
  const MappedFile::Access access_;

  mutable std::mutex mu_;
  std::vector<std::shared_ptr<MappedFile>> files_;  // guarded by mu_, ascending offsets
};

}  // namespace holdfast::store
