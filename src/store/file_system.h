// The store's seam to the file system. Every byte the store writes, and every sync, goes through
// it, so tests can substitute a layer that forgets what was never synced (power loss) or fails
// writes (disk full). The default is plain POSIX: pwrite/pread/fdatasync on file descriptors.
//
// Thread safety: a FileSystem may be used from any thread. A File allows concurrent Read/Write of
// disjoint ranges and concurrent Sync; callers serialise overlapping writes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace holdfast::store {

// A shared, writable memory mapping of the first size() bytes of a file. Stores into data() reach
// the page cache at once (they survive the process dying) and become durable with the File's
// next successful Sync(), exactly like Write()s; Read()s of the file see them. Unmapped when
// destroyed. Never touch bytes past size(), nor past the end of the file: an access to a page
// wholly past the file's end is SIGBUS (File::Map may map past it).
class MappedRegion {
 public:
  virtual ~MappedRegion() = default;
  virtual char* data() = 0;
  virtual size_t size() const = 0;
  // Faults the pages of [offset, offset + length) in writable ahead of use (MADV_POPULATE_WRITE),
  // so a later store there does not stop for page allocation. Contents are unchanged. The range
  // is clipped to the region. A hint: may do nothing.
  virtual void Populate(size_t /*offset*/, size_t /*length*/) {}
  // Unmaps the pages of [offset, offset + length) from this mapping (MADV_DONTNEED), so that the
  // file's cache may drop them (File::DropCache). Contents are unchanged: a later access reads
  // them back. The range is clipped to whole pages inside the region. A hint: may do nothing.
  virtual void Release(size_t /*offset*/, size_t /*length*/) {}
};

class File {
 public:
  virtual ~File() = default;

  // Writes all of data at offset (extending the file if needed). On error part of it may have
  // been written; the caller treats the range as garbage.
  virtual Status Write(int64_t offset, std::string_view data) = 0;
  // Reads up to n bytes at offset into buf; fewer only at end of file. Returns the count read.
  virtual Result<size_t> Read(int64_t offset, size_t n, char* buf) const = 0;
  // fdatasync: everything written before the call is durable when it returns ok.
  virtual Status Sync() = 0;
  virtual Status Truncate(int64_t size) = 0;
  // Reserves disk blocks for [offset, offset + length) (posix_fallocate), growing the file if it
  // ends before that, so stores through a mapping there never hit a full disk (which would be
  // SIGBUS). Bytes keep their content; new ones read as zeros. NoSpace when the disk cannot hold
  // it.
  virtual Status Allocate(int64_t offset, int64_t length) = 0;
  // Allocate(0, size).
  Status Allocate(int64_t size) { return Allocate(0, size); }
  // Asks the kernel to drop the cached pages of [offset, offset + length) (POSIX_FADV_DONTNEED),
  // clipped to whole pages. Contents are unchanged; later reads come from the disk. Meant for
  // synced bytes: a dirty page is written back instead of dropped, and pages still mapped
  // somewhere stay. A hint: may do nothing.
  virtual void DropCache(int64_t /*offset*/, int64_t /*length*/) {}
  // Writes the dirty pages of [offset, offset + length) to the disk and waits for that
  // (sync_file_range: wait before, write, wait after). Makes nothing durable: no metadata is
  // written and the disk's cache is not flushed; only Sync() promises anything. For a big write
  // that should reach the disk a piece at a time, so that another file's fdatasync waits behind
  // one piece in the disk's queue rather than behind all of it. A hint: may do nothing; a failed
  // write-back shows at the next Sync().
  virtual void WriteBack(int64_t /*offset*/, int64_t /*length*/) {}
  // Maps [0, size). The file may be shorter: the part of the region past the file's end must not
  // be touched (SIGBUS) until the file has grown over it.
  virtual Result<std::unique_ptr<MappedRegion>> Map(size_t size) = 0;
  virtual Result<int64_t> Size() const = 0;
  virtual const std::string& path() const = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // The process-wide POSIX file system.
  static FileSystem* Default();

  // Opens path for reading and writing; creates it (empty) when create is true.
  virtual Result<std::unique_ptr<File>> Open(const std::string& path, bool create) = 0;
  // mkdir -p.
  virtual Status CreateDirs(const std::string& path) = 0;
  // fsync of a directory, making creations, renames and removals in it durable.
  virtual Status SyncDir(const std::string& path) = 0;
  // Names (not paths) of the entries of a directory; NotFound if it does not exist,
  // InvalidArgument if it is not a directory, else an I/O error if it cannot be read (whole).
  // Never a partial list.
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) = 0;
  virtual bool Exists(const std::string& path) = 0;
  // Removes a file or an empty directory.
  virtual Status Remove(const std::string& path) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
};

// The directory part of a path ("." when there is none).
std::string DirName(const std::string& path);

// Writes data to path through a temporary file, syncs it, renames it over path and syncs the
// directory: the file then holds either its old or its new content, never a mix.
Status WriteFileAtomically(FileSystem* fs, const std::string& path, std::string_view data);

// Reads a whole (small) file.
Result<std::string> ReadWholeFile(FileSystem* fs, const std::string& path);

}  // namespace holdfast::store
