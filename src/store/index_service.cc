#include "store/index_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <optional>
#include <utility>

#include "common/clock.h"
#include "common/message.h"

namespace holdfast::store {

namespace {

constexpr size_t kFileNameLength = 17;  // yyyyMMddHHmmssSSS
// Seconds a new name may step forward to get past the last one (an hour of repeated local time).
constexpr int kMaxNameSteps = 3600;

// RocketMQ's UtilAll.timeMillisToHumanString: local time, yyyyMMddHHmmssSSS.
std::string FormatFileName(int64_t millis) {
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  return fmt::format("{:04d}{:02d}{:02d}{:02d}{:02d}{:02d}{:03d}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis % 1000));
}

bool IsFileName(std::string_view name) {
  return name.size() == kFileNameLength &&
         std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The instant a file name stands for, when it formats back to the same name.
std::optional<int64_t> ParseFileName(const std::string& name) {
  if (!IsFileName(name)) return std::nullopt;
  auto field = [&](size_t pos, size_t len) { return std::stoi(name.substr(pos, len)); };
  std::tm tm{};
  tm.tm_year = field(0, 4) - 1900;
  tm.tm_mon = field(4, 2) - 1;
  tm.tm_mday = field(6, 2);
  tm.tm_hour = field(8, 2);
  tm.tm_min = field(10, 2);
  tm.tm_sec = field(12, 2);
  tm.tm_isdst = -1;
  std::time_t seconds = std::mktime(&tm);
  if (seconds == static_cast<std::time_t>(-1)) return std::nullopt;
  int64_t millis = int64_t{seconds} * 1000 + field(14, 3);
  if (FormatFileName(millis) != name) return std::nullopt;
  return millis;
}

// "…129" -> "…130": the next name in sort order among names of equal length.
std::string DecimalSuccessor(std::string name) {
  for (size_t i = name.size(); i-- > 0;) {
    if (name[i] != '9') {
      ++name[i];
      return name;
    }
    name[i] = '0';
  }
  return "1" + name;
}

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

IndexService::IndexService(FileSystem* fs, std::string index_dir, int32_t max_hash_slot_num,
                           int32_t max_index_num)
    : fs_(fs),
      index_dir_(std::move(index_dir)),
      hash_slot_num_(max_hash_slot_num),
      index_num_(max_index_num) {}

std::string IndexService::BuildKey(std::string_view topic, std::string_view key) {
  std::string out;
  out.reserve(topic.size() + 1 + key.size());
  out.append(topic);
  out.push_back('#');
  out.append(key);
  return out;
}

Status IndexService::Load() {
  std::unique_lock lock(mu_);
  files_.clear();
  Result<std::vector<std::string>> names = fs_->ListDir(index_dir_);
  if (!names.ok()) return names.status().IsNotFound() ? Status::Ok() : names.status();
  std::vector<std::string> sorted;
  for (std::string& name : *names) {
    if (IsFileName(name)) sorted.push_back(std::move(name));
  }
  std::sort(sorted.begin(), sorted.end());
  for (const std::string& name : sorted) {
    Result<std::unique_ptr<IndexFile>> file =
        IndexFile::Open(fs_, index_dir_ + "/" + name, hash_slot_num_, index_num_);
    if (!file.ok()) {
      files_.clear();
      return file.status();
    }
    files_.push_back({std::shared_ptr<IndexFile>(std::move(file).value()), false});
  }
  return Status::Ok();
}

Status IndexService::BuildIndex(const DispatchRequest& req) {
  const int32_t tran_type = sysflag::TransactionValue(req.sys_flag);
  if (tran_type == sysflag::kTransactionRollbackType) return Status::Ok();  // as RocketMQ
  if (req.uniq_key.empty() && req.keys.empty()) return Status::Ok();
  if (req.commit_log_offset < 0 || req.store_timestamp < 0) {
    return Status::InvalidArgument("index: negative offset " +
                                   std::to_string(req.commit_log_offset) + " or timestamp " +
                                   std::to_string(req.store_timestamp));
  }

  std::unique_lock lock(mu_);
  if (!bg_error_.ok()) return bg_error_;
  // Equal is indexed again: a crash may have cut the last record's keys short.
  if (!files_.empty() && req.commit_log_offset < files_.back().file->end_phy_offset()) {
    return Status::Ok();
  }
  HOLDFAST_RETURN_IF_ERROR(PutKeysLocked(req.topic, req));
  if (!req.real_topic.empty() && req.real_topic != req.topic) {
    HOLDFAST_RETURN_IF_ERROR(PutKeysLocked(req.real_topic, req));
  }
  return Status::Ok();
}

Status IndexService::PutKeysLocked(std::string_view topic, const DispatchRequest& req) {
  if (!req.uniq_key.empty()) {
    HOLDFAST_RETURN_IF_ERROR(PutKeyLocked(BuildKey(topic, req.uniq_key), req));
  }
  std::string_view keys = req.keys;
  while (!keys.empty()) {
    size_t sep = keys.find(property::kKeySeparator);
    std::string_view key = keys.substr(0, sep);
    keys = sep == std::string_view::npos ? std::string_view() : keys.substr(sep + 1);
    if (!key.empty()) HOLDFAST_RETURN_IF_ERROR(PutKeyLocked(BuildKey(topic, key), req));
  }
  return Status::Ok();
}

Status IndexService::PutKeyLocked(std::string_view key, const DispatchRequest& req) {
  if (files_.empty() || files_.back().file->IsFull()) HOLDFAST_RETURN_IF_ERROR(RollLocked());
  IndexFileEntry& last = files_.back();
  last.dirty = true;
  Status s = last.file->PutKey(key, req.commit_log_offset, req.store_timestamp);
  if (!s.ok()) bg_error_ = s;
  return s;
}

Status IndexService::RollLocked() {
  int64_t begin_phy_offset = 0;
  int64_t begin_timestamp = 0;
  Status s;
  if (files_.empty()) {
    s = fs_->CreateDirs(index_dir_);
    if (s.ok()) s = fs_->SyncDir(DirName(index_dir_));
  } else {
    IndexFileEntry& last = files_.back();
    if (last.dirty) {
      s = last.file->Flush();
      if (s.ok()) last.dirty = false;
    }
    begin_phy_offset = last.file->end_phy_offset();
    begin_timestamp = last.file->end_timestamp();
  }
  if (!s.ok()) {
    bg_error_ = s;
    return s;
  }
  Result<std::unique_ptr<IndexFile>> file =
      IndexFile::Create(fs_, index_dir_ + "/" + NewFileNameLocked(), hash_slot_num_, index_num_,
                        begin_phy_offset, begin_timestamp);
  if (!file.ok()) {
    bg_error_ = file.status();
    return bg_error_;
  }
  files_.push_back({std::shared_ptr<IndexFile>(std::move(file).value()), false});
  return Status::Ok();
}

std::string IndexService::NewFileNameLocked() const {
  const std::string last = files_.empty() ? std::string() : BaseName(files_.back().file->path());
  const std::optional<int64_t> last_millis = ParseFileName(last);
  int64_t millis = NowMillis();
  if (last_millis && *last_millis >= millis) millis = *last_millis + 1;
  std::string name = FormatFileName(millis);
  // Local time can repeat (end of daylight saving): step on until the name sorts after the last
  // one. After a last name that is no local time here (another time zone, renamed by hand), or
  // after too many steps, take its decimal successor instead.
  bool decimal = false;
  for (int steps = 0; name <= last; ++steps) {
    if (!last_millis || steps == kMaxNameSteps) {
      name = DecimalSuccessor(last);
      decimal = true;
      break;
    }
    millis += 1000;
    name = FormatFileName(millis);
  }
  while (fs_->Exists(index_dir_ + "/" + name)) {
    name = decimal ? DecimalSuccessor(name) : FormatFileName(++millis);
  }
  return name;
}

std::vector<int64_t> IndexService::QueryOffsets(std::string_view topic, std::string_view key,
                                                int max_num, int64_t begin_ts,
                                                int64_t end_ts) const {
  std::vector<int64_t> offsets;
  if (max_num <= 0) return offsets;
  const std::string full_key = BuildKey(topic, key);
  const auto limit = static_cast<size_t>(max_num);
  std::shared_lock lock(mu_);
  for (auto it = files_.rbegin(); it != files_.rend() && offsets.size() < limit; ++it) {
    if (it->file->IsTimeMatched(begin_ts, end_ts)) {
      it->file->SelectPhyOffsets(&offsets, full_key, limit, begin_ts, end_ts);
    }
  }
  return offsets;
}

Status IndexService::Flush() {
  std::lock_guard flush_lock(flush_mu_);
  std::vector<std::shared_ptr<IndexFile>> to_sync;
  {
    std::unique_lock lock(mu_);
    if (!bg_error_.ok()) return bg_error_;
    for (IndexFileEntry& entry : files_) {
      if (!entry.dirty) continue;
      to_sync.push_back(entry.file);
      entry.dirty = false;
    }
  }
  // PutKey has already written every header, so a sync is all that is left; it may overlap
  // BuildIndex's writes, which then stay dirty for the next Flush.
  for (const std::shared_ptr<IndexFile>& file : to_sync) {
    Status s = file->Sync();
    if (!s.ok()) {
      std::unique_lock lock(mu_);
      if (bg_error_.ok()) bg_error_ = s;
      return s;
    }
  }
  return Status::Ok();
}

int64_t IndexService::LastIndexedPhyOffset() const {
  std::shared_lock lock(mu_);
  return files_.empty() ? 0 : files_.back().file->end_phy_offset();
}

int64_t IndexService::LastIndexedTimestamp() const {
  std::shared_lock lock(mu_);
  return files_.empty() ? 0 : files_.back().file->end_timestamp();
}

}  // namespace holdfast::store
