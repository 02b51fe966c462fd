#include "client/local_file_offset_store.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace holdfast::client {
namespace {

using nlohmann::json;

Status WriteAllAndSync(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno(errno, "open " + path);
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return Status::FromErrno(err, "write " + path);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    return Status::FromErrno(err, "fsync " + path);
  }
  if (::close(fd) != 0) return Status::FromErrno(errno, "close " + path);
  return Status::Ok();
}

Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno(errno, "open directory " + dir);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  return rc == 0 ? Status::Ok() : Status::FromErrno(err, "fsync directory " + dir);
}

}  // namespace

std::string DefaultLocalOffsetStoreDir() {
  if (const char* dir = std::getenv("HOLDFAST_LOCAL_OFFSET_STORE_DIR"); dir && *dir) return dir;
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.rocketmq_offsets";
}

LocalFileOffsetStore::LocalFileOffsetStore(const std::string& dir, const std::string& client_id,
                                           const std::string& group)
    : path_(dir + "/" + client_id + "/" + group + "/offsets.json") {}

Status LocalFileOffsetStore::WriteFile(const std::string& path,
                                       const std::map<MessageQueue, int64_t>& offsets) {
  json entries = json::array();
  for (const auto& [mq, offset] : offsets) {
    entries.push_back({{"topic", mq.topic},
                       {"brokerName", mq.broker_name},
                       {"queueId", mq.queue_id},
                       {"offset", offset}});
  }
  std::string text = json{{"offsetTable", entries}}.dump(2);

  std::filesystem::path target(path);
  std::error_code ec;
  std::filesystem::create_directories(target.parent_path(), ec);
  if (ec)
    return Status::IoError("create directory " + target.parent_path().string() + ": " +
                           ec.message());
  const std::string tmp = path + ".tmp";
  HOLDFAST_RETURN_IF_ERROR(WriteAllAndSync(tmp, text));
  if (::rename(path.c_str(), (path + ".bak").c_str()) != 0 && errno != ENOENT) {
    return Status::FromErrno(errno, "rename " + path + " to .bak");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::FromErrno(errno, "rename " + tmp + " to " + path);
  }
  return SyncDirectory(target.parent_path().string());
}

Result<std::map<MessageQueue, int64_t>> LocalFileOffsetStore::ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("no offset file " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  json doc = json::parse(buf.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("offsetTable") ||
      !doc["offsetTable"].is_array()) {
    return Status::Corruption("offset file " + path + " is not {\"offsetTable\":[...]}");
  }
  std::map<MessageQueue, int64_t> out;
  size_t index = 0;
  for (const json& e : doc["offsetTable"]) {
    if (!e.is_object() || !e.contains("topic") || !e["topic"].is_string() ||
        !e.contains("brokerName") || !e["brokerName"].is_string() || !e.contains("queueId") ||
        !e["queueId"].is_number_integer() || !e.contains("offset") ||
        !e["offset"].is_number_integer()) {
      return Status::Corruption("offset file " + path + ": entry " + std::to_string(index) +
                                " needs topic, brokerName, queueId and offset");
    }
    out[MessageQueue{e["topic"].get<std::string>(), e["brokerName"].get<std::string>(),
                     e["queueId"].get<int32_t>()}] = e["offset"].get<int64_t>();
    ++index;
  }
  return out;
}

Result<std::map<MessageQueue, int64_t>> LocalFileOffsetStore::ReadWithFallback() const {
  Result<std::map<MessageQueue, int64_t>> main = ReadFile(path_);
  if (main.ok()) return main;
  Result<std::map<MessageQueue, int64_t>> bak = ReadFile(path_ + ".bak");
  if (bak.ok()) {
    spdlog::warn("offsets: {}; using {}.bak", main.status().ToString(), path_);
    return bak;
  }
  if (main.status().IsNotFound() && bak.status().IsNotFound()) return main.status();
  return Status::Corruption("neither " + path_ + " (" + main.status().ToString() +
                            ") nor its .bak (" + bak.status().ToString() + ") holds offsets");
}

Status LocalFileOffsetStore::Load() {
  Result<std::map<MessageQueue, int64_t>> offsets = ReadWithFallback();
  if (!offsets.ok()) return offsets.status().IsNotFound() ? Status::Ok() : offsets.status();
  for (const auto& [mq, offset] : *offsets) table_.Update(mq, offset, false);
  return Status::Ok();
}

void LocalFileOffsetStore::UpdateOffset(const MessageQueue& mq, int64_t offset,
                                        bool increase_only) {
  table_.Update(mq, offset, increase_only);
}

Result<int64_t> LocalFileOffsetStore::ReadOffset(const MessageQueue& mq, ReadOffsetType type) {
  if (type != ReadOffsetType::kReadFromStore) {
    if (auto held = table_.Get(mq)) return *held;
    if (type == ReadOffsetType::kReadFromMemory) return int64_t{-1};
  }
  Result<std::map<MessageQueue, int64_t>> offsets = ReadWithFallback();
  if (!offsets.ok()) {
    if (offsets.status().IsNotFound()) return int64_t{-1};
    return offsets.status();
  }
  auto it = offsets->find(mq);
  if (it == offsets->end()) return int64_t{-1};
  table_.Update(mq, it->second, false);
  return it->second;
}

void LocalFileOffsetStore::PersistAll(const std::set<MessageQueue>& mqs) {
  if (mqs.empty()) return;
  std::map<MessageQueue, int64_t> offsets = table_.Clone("");
  std::erase_if(offsets, [&](const auto& e) { return mqs.count(e.first) == 0; });
  std::lock_guard lock(write_mu_);
  // On failure the file keeps older offsets: after a restart some messages come again, none are
  // skipped; the next persist tries again.
  Status s = WriteFile(path_, offsets);
  if (!s.ok()) spdlog::warn("persist offsets: {}", s.ToString());
}

void LocalFileOffsetStore::Persist(const MessageQueue& /*mq*/) {
  std::lock_guard lock(write_mu_);
  Status s = WriteFile(path_, table_.Clone(""));
  if (!s.ok()) spdlog::warn("persist offsets: {}", s.ToString());
}

void LocalFileOffsetStore::RemoveOffset(const MessageQueue& mq) { table_.Remove(mq); }

std::map<MessageQueue, int64_t> LocalFileOffsetStore::CloneOffsetTable(
    const std::string& topic) const {
  return table_.Clone(topic);
}

}  // namespace holdfast::client
