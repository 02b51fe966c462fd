#include "store/memory_file_system.h"

#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace holdfast::store {

// The reservation is anonymous memory the kernel zero-fills on first touch, so an untouched file
// costs address space only, and the bytes never move.
struct MemoryFileSystem::Node {
  Node(char* bytes, size_t capacity) : bytes(bytes), capacity(capacity) {}
  ~Node() { ::munmap(bytes, capacity); }
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  static Result<std::shared_ptr<Node>> Create(size_t capacity, const std::string& path) {
    void* p = ::mmap(nullptr, capacity, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return Status::FromErrno(errno, "memory file " + path + ": mmap");
    return std::make_shared<Node>(static_cast<char*>(p), capacity);
  }

  char* const bytes;
  const size_t capacity;
  std::mutex mu;
  size_t size = 0;  // guarded by mu
};

namespace {

using Node = MemoryFileSystem::Node;

// "a//b/" -> "a/b", so one file has one name.
std::string Clean(const std::string& path) {
  std::string out;
  out.reserve(path.size());
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out.push_back(c);
  }
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

bool IsBelow(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
         (dir == "/" || path[dir.size()] == '/');
}

class MemoryRegion final : public MappedRegion {
 public:
  MemoryRegion(std::shared_ptr<Node> node, size_t size) : node_(std::move(node)), size_(size) {}
  char* data() override { return node_->bytes; }
  size_t size() const override { return size_; }

 private:
  const std::shared_ptr<Node> node_;
  const size_t size_;
};

class MemoryFile final : public File {
 public:
  MemoryFile(std::shared_ptr<Node> node, std::string path)
      : node_(std::move(node)), path_(std::move(path)) {}

  Status Write(int64_t offset, std::string_view data) override {
    std::lock_guard lock(node_->mu);
    HOLDFAST_RETURN_IF_ERROR(CheckFits(offset, data.size(), "write"));
    std::memcpy(node_->bytes + offset, data.data(), data.size());
    node_->size = std::max(node_->size, static_cast<size_t>(offset) + data.size());
    return Status::Ok();
  }

  Result<size_t> Read(int64_t offset, size_t n, char* buf) const override {
    if (offset < 0) return Status::InvalidArgument("read " + path_ + " at negative offset");
    std::lock_guard lock(node_->mu);
    const size_t from = static_cast<size_t>(offset);
    if (from >= node_->size) return size_t{0};
    const size_t count = std::min(n, node_->size - from);
    std::memcpy(buf, node_->bytes + from, count);
    return count;
  }

  Status Sync() override { return Status::Ok(); }

  Status Truncate(int64_t size) override {
    std::lock_guard lock(node_->mu);
    HOLDFAST_RETURN_IF_ERROR(CheckFits(size, 0, "truncate"));
    const size_t to = static_cast<size_t>(size);
    // Bytes cut away must read as zeros if the file grows over them again.
    if (to < node_->size) std::memset(node_->bytes + to, 0, node_->size - to);
    node_->size = to;
    return Status::Ok();
  }

  Status Allocate(int64_t offset, int64_t length) override {
    if (length < 0) return Status::InvalidArgument("allocate " + path_ + ": negative length");
    std::lock_guard lock(node_->mu);
    HOLDFAST_RETURN_IF_ERROR(CheckFits(offset, static_cast<size_t>(length), "allocate"));
    node_->size = std::max(node_->size, static_cast<size_t>(offset + length));
    return Status::Ok();
  }

  // A region may reach past the file's end, up to the file system's limit per file: the file
  // grows into it.
  Result<std::unique_ptr<MappedRegion>> Map(size_t size) override {
    std::lock_guard lock(node_->mu);
    HOLDFAST_RETURN_IF_ERROR(CheckFits(0, size, "map"));
    return std::unique_ptr<MappedRegion>(std::make_unique<MemoryRegion>(node_, size));
  }

  Result<int64_t> Size() const override {
    std::lock_guard lock(node_->mu);
    return static_cast<int64_t>(node_->size);
  }

  const std::string& path() const override { return path_; }

 private:
  // Called with node_->mu held.
  Status CheckFits(int64_t offset, size_t length, const char* what) const {
    if (offset < 0) {
      return Status::InvalidArgument(std::string(what) + " " + path_ + " at negative offset");
    }
    if (static_cast<uint64_t>(offset) > node_->capacity ||
        length > node_->capacity - static_cast<size_t>(offset)) {
      return Status::NoSpace(std::string(what) + " " + path_ + ": " +
                             std::to_string(offset + static_cast<int64_t>(length)) +
                             " bytes exceed the memory file system's limit of " +
                             std::to_string(node_->capacity) + " per file");
    }
    return Status::Ok();
  }

  const std::shared_ptr<Node> node_;
  const std::string path_;
};

}  // namespace

MemoryFileSystem::MemoryFileSystem(size_t max_file_size) : max_file_size_(max_file_size) {}

MemoryFileSystem::~MemoryFileSystem() = default;

bool MemoryFileSystem::DirExistsLocked(const std::string& dir) const {
  return dir == "/" || dir == "." || dirs_.count(dir) != 0;
}

Result<std::unique_ptr<File>> MemoryFileSystem::Open(const std::string& path, bool create) {
  const std::string name = Clean(path);
  std::lock_guard lock(mu_);
  if (DirExistsLocked(name)) return Status::IoError("open " + path + ": is a directory");
  auto it = files_.find(name);
  if (it == files_.end()) {
    if (!create) return Status::NotFound("no file " + path);
    if (!DirExistsLocked(DirName(name))) return Status::NotFound("no directory for " + path);
    Result<std::shared_ptr<Node>> node = Node::Create(max_file_size_, path);
    if (!node.ok()) return node.status();
    it = files_.emplace(name, std::move(node).value()).first;
  }
  return std::unique_ptr<File>(std::make_unique<MemoryFile>(it->second, path));
}

Status MemoryFileSystem::CreateDirs(const std::string& path) {
  const std::string name = Clean(path);
  std::lock_guard lock(mu_);
  for (size_t pos = 0; pos != std::string::npos;) {
    pos = name.find('/', pos + 1);
    const std::string dir = name.substr(0, pos);
    if (dir.empty() || DirExistsLocked(dir)) continue;
    if (files_.count(dir) != 0) return Status::IoError("mkdir " + dir + ": a file has that name");
    dirs_.insert(dir);
  }
  return Status::Ok();
}

Status MemoryFileSystem::SyncDir(const std::string& path) {
  std::lock_guard lock(mu_);
  if (!DirExistsLocked(Clean(path))) return Status::NotFound("no directory " + path);
  return Status::Ok();
}

Result<std::vector<std::string>> MemoryFileSystem::ListDir(const std::string& path) {
  const std::string dir = Clean(path);
  std::lock_guard lock(mu_);
  if (!DirExistsLocked(dir)) return Status::NotFound("no directory " + path);
  std::vector<std::string> names;
  auto add_child = [&](const std::string& entry) {
    if (!IsBelow(entry, dir)) return;
    std::string rest = entry.substr(dir == "/" ? 1 : dir.size() + 1);
    if (rest.find('/') == std::string::npos) names.push_back(std::move(rest));
  };
  for (const auto& [name, node] : files_) add_child(name);
  for (const std::string& d : dirs_) add_child(d);
  return names;
}

bool MemoryFileSystem::Exists(const std::string& path) {
  const std::string name = Clean(path);
  std::lock_guard lock(mu_);
  return files_.count(name) != 0 || DirExistsLocked(name);
}

Status MemoryFileSystem::Remove(const std::string& path) {
  const std::string name = Clean(path);
  std::lock_guard lock(mu_);
  if (files_.erase(name) != 0) return Status::Ok();
  if (dirs_.count(name) == 0) return Status::NotFound("remove " + path + ": no such file");
  for (const auto& [file, node] : files_) {
    if (IsBelow(file, name)) return Status::IoError("remove " + path + ": directory not empty");
  }
  for (const std::string& d : dirs_) {
    if (IsBelow(d, name)) return Status::IoError("remove " + path + ": directory not empty");
  }
  dirs_.erase(name);
  return Status::Ok();
}

Status MemoryFileSystem::Rename(const std::string& from, const std::string& to) {
  const std::string src = Clean(from);
  const std::string dst = Clean(to);
  std::lock_guard lock(mu_);
  auto it = files_.find(src);
  if (it == files_.end()) {
    if (dirs_.count(src) != 0) {
      return Status::InvalidArgument("rename " + from +
                                     ": the memory file system renames files only");
    }
    return Status::NotFound("rename " + from + ": no such file");
  }
  if (DirExistsLocked(dst))
    return Status::IoError("rename " + from + " to " + to + ": a directory");
  if (!DirExistsLocked(DirName(dst)))
    return Status::NotFound("rename " + from + " to " + to + ": no directory");
  std::shared_ptr<Node> node = it->second;
  files_.erase(it);
  files_[dst] = std::move(node);
  return Status::Ok();
}

}  // namespace holdfast::store
