#include "store/file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

namespace holdfast::store {

namespace {

class PosixMappedRegion final : public MappedRegion {
 public:
  PosixMappedRegion(char* data, size_t size) : data_(data), size_(size) {}
  ~PosixMappedRegion() override { ::munmap(data_, size_); }
  char* data() override { return data_; }
  size_t size() const override { return size_; }
  void Populate(size_t offset, size_t length) override {
    const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    const size_t from = offset / page * page;
    if (from >= size_) return;
    const size_t to = std::min(size_, offset + length);
    ::madvise(data_ + from, to - from, MADV_POPULATE_WRITE);
  }
  void Release(size_t offset, size_t length) override {
    const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    const size_t from = (offset + page - 1) / page * page;
    const size_t to = std::min(size_, offset + length) / page * page;
    if (from < to) ::madvise(data_ + from, to - from, MADV_DONTNEED);
  }

 private:
  char* const data_;
  const size_t size_;
};

class PosixFile final : public File {
 public:
  PosixFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixFile() override { ::close(fd_); }

  Status Write(int64_t offset, std::string_view data) override {
    while (!data.empty()) {
      ssize_t n = ::pwrite(fd_, data.data(), data.size(), offset);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::FromErrno(errno, "write " + path_ + " at " + std::to_string(offset));
      }
      data.remove_prefix(static_cast<size_t>(n));
      offset += n;
    }
    return Status::Ok();
  }

  Result<size_t> Read(int64_t offset, size_t n, char* buf) const override {
    size_t done = 0;
    while (done < n) {
      ssize_t r = ::pread(fd_, buf + done, n - done, offset + static_cast<int64_t>(done));
      if (r < 0) {
        if (errno == EINTR) continue;
        return Status::FromErrno(errno, "read " + path_ + " at " + std::to_string(offset));
      }
      if (r == 0) break;
      done += static_cast<size_t>(r);
    }
    return done;
  }

  Status Sync() override {
    if (::fdatasync(fd_) != 0) return Status::FromErrno(errno, "fdatasync " + path_);
    return Status::Ok();
  }

  Status Truncate(int64_t size) override {
    if (::ftruncate(fd_, size) != 0) return Status::FromErrno(errno, "truncate " + path_);
    return Status::Ok();
  }

  Status Allocate(int64_t offset, int64_t length) override {
    if (length <= 0) return Status::Ok();
    int rc = ::posix_fallocate(fd_, offset, length);
    if (rc != 0) return Status::FromErrno(rc, "fallocate " + path_);
    return Status::Ok();
  }

  void DropCache(int64_t offset, int64_t length) override {
    if (length > 0) ::posix_fadvise(fd_, offset, length, POSIX_FADV_DONTNEED);
  }

  void WriteBack(int64_t offset, int64_t length) override {
    if (length > 0) {
      ::sync_file_range(
          fd_, offset, length,
          SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
    }
  }

  Result<std::unique_ptr<MappedRegion>> Map(size_t size) override {
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
    if (p == MAP_FAILED) return Status::FromErrno(errno, "mmap " + path_);
    return std::unique_ptr<MappedRegion>(
        std::make_unique<PosixMappedRegion>(static_cast<char*>(p), size));
  }

  Result<int64_t> Size() const override {
    struct stat st;
    if (::fstat(fd_, &st) != 0) return Status::FromErrno(errno, "stat " + path_);
    return static_cast<int64_t>(st.st_size);
  }

  const std::string& path() const override { return path_; }

 private:
  const int fd_;
  const std::string path_;
};

class PosixFileSystem final : public FileSystem {
 public:
  Result<std::unique_ptr<File>> Open(const std::string& path, bool create) override {
    int flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0);
    int fd = ::open(path.c_str(), flags, 0644);
    if (fd < 0) {
      if (errno == ENOENT) return Status::NotFound("no file " + path);
      return Status::FromErrno(errno, "open " + path);
    }
    return std::unique_ptr<File>(std::make_unique<PosixFile>(fd, path));
  }

  Status CreateDirs(const std::string& path) override {
    if (path.empty()) return Status::Ok();
    std::string cur;
    size_t pos = 0;
    while (pos != std::string::npos) {
      pos = path.find('/', pos + 1);
      cur = path.substr(0, pos);
      if (cur.empty()) continue;
      if (::mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST) {
        return Status::FromErrno(errno, "mkdir " + cur);
      }
    }
    return Status::Ok();
  }

  Status SyncDir(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Status::FromErrno(errno, "open dir " + path);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return Status::FromErrno(err, "fsync dir " + path);
    return Status::Ok();
  }

  Result<std::vector<std::string>> ListDir(const std::string& path) override {
    DIR* d = ::opendir(path.c_str());
    if (d == nullptr) {
      if (errno == ENOENT) return Status::NotFound("no directory " + path);
      if (errno == ENOTDIR) return Status::InvalidArgument("not a directory: " + path);
      return Status::FromErrno(errno, "opendir " + path);
    }
    std::vector<std::string> names;
    while (true) {
      errno = 0;  // readdir returns null both at the end and on an error
      struct dirent* e = ::readdir(d);
      if (e == nullptr) break;
      std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(std::move(name));
    }
    const int err = errno;
    ::closedir(d);
    if (err != 0) return Status::FromErrno(err, "readdir " + path);
    return names;
  }

  bool Exists(const std::string& path) override { return ::access(path.c_str(), F_OK) == 0; }

  Status Remove(const std::string& path) override {
    if (::remove(path.c_str()) != 0) return Status::FromErrno(errno, "remove " + path);
    return Status::Ok();
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return Status::FromErrno(errno, "rename " + from + " to " + to);
    }
    return Status::Ok();
  }
};

}  // namespace

FileSystem* FileSystem::Default() {
  static PosixFileSystem fs;
  return &fs;
}

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status WriteFileAtomically(FileSystem* fs, const std::string& path, std::string_view data) {
  std::string tmp = path + ".tmp";
  {
    auto file = fs->Open(tmp, true);
    if (!file.ok()) return file.status();
    HOLDFAST_RETURN_IF_ERROR((*file)->Truncate(0));
    HOLDFAST_RETURN_IF_ERROR((*file)->Write(0, data));
    HOLDFAST_RETURN_IF_ERROR((*file)->Sync());
  }
  HOLDFAST_RETURN_IF_ERROR(fs->Rename(tmp, path));
  return fs->SyncDir(DirName(path));
}

Result<std::string> ReadWholeFile(FileSystem* fs, const std::string& path) {
  auto file = fs->Open(path, false);
  if (!file.ok()) return file.status();
  auto size = (*file)->Size();
  if (!size.ok()) return size.status();
  std::string data(static_cast<size_t>(*size), '\0');
  auto n = (*file)->Read(0, data.size(), data.data());
  if (!n.ok()) return n.status();
  data.resize(*n);
  return data;
}

}  // namespace holdfast::store
