#include "store/commit_log_reader.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/byte_order.h"

namespace holdfast::store {

namespace {
constexpr int64_t kReadAhead = 4 << 20;
}

CommitLogReader::CommitLogReader(const MappedFileQueue* files, int64_t from, int64_t limit,
                                 bool check_crc)
    : files_(files), limit_(limit), check_crc_(check_crc), pos_(from) {}

bool CommitLogReader::Fill(const MappedFile& file, size_t n, Status* error) {
  if (pos_ >= buf_start_ &&
      pos_ + static_cast<int64_t>(n) <= buf_start_ + static_cast<int64_t>(buf_.size())) {
    return true;
  }
  int64_t end = std::min({file.end_offset(), limit_, pos_ + std::max<int64_t>(kReadAhead, n)});
  buf_.resize(static_cast<size_t>(end - pos_));
  buf_start_ = pos_;
  Status s = file.Read(pos_ - file.start_offset(), buf_.size(), buf_.data());
  if (!s.ok()) {
    buf_.clear();
    *error = s;
    return false;
  }
  return static_cast<int64_t>(buf_.size()) >= static_cast<int64_t>(n);
}

CommitLogReader::Kind CommitLogReader::Next(MessageView* record, Status* error) {
  while (true) {
    if (pos_ + kEndFileMinBlankLength > limit_) return Kind::kEnd;
    auto file = files_->FindFile(pos_);
    if (!file) return Kind::kEnd;
    if (pos_ + kEndFileMinBlankLength > file->end_offset()) {
      pos_ = file->end_offset();  // too small for anything: the writer moved on
      continue;
    }
    if (!Fill(*file, kEndFileMinBlankLength, error)) {
      if (error->ok()) return Kind::kEnd;
      return Kind::kError;
    }
    const char* p = buf_.data() + (pos_ - buf_start_);
    int32_t size = GetInt32(p);
    int32_t magic = GetInt32(p + 4);
    if (magic == kBlankMagicCode) {
      pos_ = file->end_offset();
      continue;
    }
    if (size == 0 && magic == 0) return Kind::kEnd;
    int64_t room = std::min(file->end_offset(), limit_) - pos_;
    if (size < 0 || size > room) {
      *error = Status::Corruption(
          fmt::format("{} at {}: record size {} does not fit in the {} bytes left", file->path(),
                      pos_ - file->start_offset(), size, room));
      return Kind::kError;
    }
    if (!Fill(*file, static_cast<size_t>(size), error)) {
      if (error->ok()) *error = Status::Corruption("short read");
      return Kind::kError;
    }
    p = buf_.data() + (pos_ - buf_start_);
    auto view = DecodeStoredRecord(std::string_view(p, static_cast<size_t>(size)), check_crc_);
    if (!view.ok()) {
      *error = Status::Corruption(fmt::format(
          "{} at {}: {}", file->path(), pos_ - file->start_offset(), view.status().message()));
      return Kind::kError;
    }
    if (view->commit_log_offset != pos_) {
      *error = Status::Corruption(fmt::format("{} at {}: record claims commit-log offset {}",
                                              file->path(), pos_ - file->start_offset(),
                                              view->commit_log_offset));
      return Kind::kError;
    }
    *record = *view;
    pos_ += size;
    return Kind::kRecord;
  }
}

}  // namespace holdfast::store
